import {
  ageBand,
  DELIVERY_MODES,
  END_REASONS,
  INSTRUMENT_DEFINITIONS,
  normaliseDiagnosisCode,
  parseInstrument,
  parseModality,
  PROBLEM_AREAS,
} from '../../db/definitions';
import type { SourceFile } from '../load/types';

/**
 * The data contract: the columns of each file a clinic provides and how each value is read.
 * A column's `read` turns the raw cell into the staged value or says why it cannot.
 */
export type CellValue = string | number | null;
export type CellResult = { ok: true; value: CellValue } | { ok: false; reason: string };

export interface ColumnContract {
  /** Lower-case name as it appears (case-insensitively) in the header. */
  name: string;
  required: boolean;
  /** A source identifier: stored only as a keyed hash, and never echoed in a rejection. */
  identifier?: boolean;
  read(raw: string): CellResult;
}

export interface FileContract {
  file: SourceFile;
  required: boolean;
  columns: readonly ColumnContract[];
  /** Checks across columns of one row, after each cell has been read; returns the fault or null. */
  checkRow?(row: Record<string, CellValue>): { column: string; reason: string } | null;
  /**
   * Checks across columns whose failure does not make the row unusable: the row is kept as sent
   * and the load warns, naming the lines, so the source can be checked. Returns what to say, or null.
   */
  noteRow?(row: Record<string, CellValue>): { column: string; note: string } | null;
}

const ok = (value: CellValue): CellResult => ({ ok: true, value });
const fault = (reason: string): CellResult => ({ ok: false, reason });

const MAX_ID_LENGTH = 64;
// Control characters other than tab have no place in a name or code.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f]/;

function identifier(name: string, required: boolean): ColumnContract {
  return {
    name,
    required,
    identifier: true,
    read(raw) {
      const value = raw.trim();
      if (value === '') return required ? fault('is required') : ok(null);
      if (value.length > MAX_ID_LENGTH) return fault(`is longer than ${MAX_ID_LENGTH} characters`);
      if (CONTROL_CHARACTERS.test(value)) return fault('contains control characters');
      return ok(value);
    },
  };
}

/**
 * A site's name (Loop, River North, Online): the one free-text column of the contract, stored as
 * written and shown on every page. The sites are not a fixed list (each clinic group has its own),
 * so a name cannot be checked against one; what is refused is what a site name never holds and an
 * identifier does: an email address, a date in digits ("17/03/1984") or with its month in words (a
 * month name or its 3-letter abbreviation followed by a 2- or 4-digit year, or after a 4-digit one:
 * "17 Mar 84", "March 1984", "1984 March", a date of birth), five or more digits (a phone, SSN,
 * record number, ZIP code), or more than a name's length. Site names with a month's word in them
 * still pass: "Marchmont Street 2" (not a month), "May Street Clinic" (no number beside it),
 * "12 May Street" (a number before the month is a street number or a day, with no year). A person's name in
 * the column cannot be told from a site's by its text: that stays the export's responsibility
 * (README, data contract). Formula-looking text and HTML are data (ADR 003), so "@" alone is allowed.
 */
const MAX_SITE_NAME_LENGTH = 60;
const EMAIL_ADDRESS = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const DATE_LIKE = /\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,4}/;
/** A month's name or 3-letter abbreviation (Sept too), as a word of its own ("17Mar84" counts). */
const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])';
/** A year of 2 or 4 digits (or a day, "Mar 17, 1984"), not part of a longer number, "17th" too. */
const DAY_OR_YEAR = '(?<!\\d)(?:\\d{2}|\\d{4})(?:st|nd|rd|th)?(?!\\d)';
const YEAR = '(?<!\\d)\\d{4}(?!\\d)';
const BETWEEN = "[\\s.,'/-]*";
/**
 * "17 Mar 84", "March 1984", "Mar-84", "1984 March": a month in words followed by a year (or a day),
 * or after a 4-digit year. A number of 2 digits before the month alone ("12 May Street") is not
 * refused: a street number, or at most a day and month with no year.
 */
const MONTH_DATE = new RegExp(`(?<![a-z])${MONTH}${BETWEEN}${DAY_OR_YEAR}|${YEAR}${BETWEEN}(?<![a-z])${MONTH}`, 'i');
const MAX_SITE_NAME_DIGITS = 4;

function siteName(name: string, required: boolean): ColumnContract {
  return {
    name,
    required,
    read(raw) {
      const value = raw.trim().replace(/\s+/g, ' ');
      if (value === '') return required ? fault('is required') : ok(null);
      if (value.length > MAX_SITE_NAME_LENGTH)
        return fault(`is longer than ${MAX_SITE_NAME_LENGTH} characters: a site name, not free text`);
      if (CONTROL_CHARACTERS.test(value)) return fault('contains control characters');
      if (EMAIL_ADDRESS.test(value)) return fault('looks like an email address: a site name, not an identifier');
      if (DATE_LIKE.test(value) || MONTH_DATE.test(value))
        return fault('looks like a date: a site name, not an identifier');
      if ((value.match(/\d/g)?.length ?? 0) > MAX_SITE_NAME_DIGITS) {
        return fault(
          `has ${MAX_SITE_NAME_DIGITS + 1} or more digits (a phone, record number, ZIP code or date?): a site name, not an identifier`,
        );
      }
      return ok(value);
    },
  };
}

function wholeNumber(name: string, required: boolean, min: number, max: number): ColumnContract {
  return {
    name,
    required,
    read(raw) {
      const value = raw.trim();
      if (value === '') return required ? fault('is required') : ok(null);
      if (!/^[0-9]+$/.test(value)) return fault(`must be a whole number from ${min} to ${max}`);
      const number = Number(value);
      if (number < min || number > max) return fault(`must be a whole number from ${min} to ${max}`);
      return ok(number);
    },
  };
}

function oneOf(name: string, required: boolean, allowed: readonly string[]): ColumnContract {
  return {
    name,
    required,
    read(raw) {
      const value = raw.trim().toLowerCase();
      if (value === '') return required ? fault('is required') : ok(null);
      return allowed.includes(value) ? ok(value) : fault(`must be one of ${allowed.join(', ')}`);
    },
  };
}

/**
 * YYYY-MM (or MM/YYYY), or a YYYY-MM-DD date or an ISO 8601 date and time (YYYY-MM-DDThh:mm, seconds, fraction
 * and offset optional; a space for the T, as databases export them) cut to its month: the
 * warehouse keeps no finer date. The month is the one written: an offset is checked but not
 * applied, since the clinic's own calendar date is the one its records mean.
 */
const MONTH_OR_DATE =
  /^(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?)?)?$/i;
/** A month and year as spreadsheets write them, MM/YYYY or M/YYYY: no day, so no US/UK ambiguity. */
const MONTH_SLASH_YEAR = /^(\d{1,2})\/(\d{4})$/;
const MONTH_FORMAT = 'must be a month YYYY-MM or MM/YYYY (or a date YYYY-MM-DD, or a date and time YYYY-MM-DDThh:mm)';

function month(name: string, required: boolean): ColumnContract {
  return {
    name,
    required,
    read(raw) {
      const value = raw.trim();
      if (value === '') return required ? fault('is required') : ok(null);
      // MM/YYYY is read as the YYYY-MM it stands for.
      const slashed = MONTH_SLASH_YEAR.exec(value);
      const match = MONTH_OR_DATE.exec(slashed ? `${slashed[2]}-${slashed[1]!.padStart(2, '0')}` : value);
      if (!match) return fault(MONTH_FORMAT);
      const [, year, monthOfYear, day, hour, minute, second, offsetHours, offsetMinutes] = match;
      if (Number(monthOfYear) < 1 || Number(monthOfYear) > 12 || Number(year) < 1900 || Number(year) > 2100) {
        return fault(MONTH_FORMAT);
      }
      if (day !== undefined) {
        const date = new Date(Date.UTC(Number(year), Number(monthOfYear) - 1, Number(day)));
        if (date.getUTCDate() !== Number(day)) return fault('is not a real date');
      }
      const within = (part: string | undefined, highest: number) => part === undefined || Number(part) <= highest;
      // 24:00 and a leap second (:60) are ISO 8601 too, but no export writes them: refused, not guessed.
      const times: Array<[string | undefined, number]> = [
        [hour, 23],
        [minute, 59],
        [second, 59],
        [offsetHours, 14],
        [offsetMinutes, 59],
      ];
      if (!times.every(([part, highest]) => within(part, highest))) return fault('is not a real time');
      return ok(`${year}-${monthOfYear}`);
    },
  };
}

const MAX_SESSIONS = 1000;
const AGE = wholeNumber('age', false, 0, 120);
const MAX_WAIT_DAYS = 3650;

export const EPISODES: FileContract = {
  file: 'episodes.csv',
  required: true,
  columns: [
    identifier('episode_id', true),
    identifier('client_id', true),
    siteName('location', true),
    identifier('clinician_id', false),
    {
      name: 'modality',
      required: true,
      read(raw) {
        if (raw.trim() === '') return fault('is required');
        const modality = parseModality(raw);
        return modality ? ok(modality) : fault('must be IPT, CBT, IPSRT, DIT or other (or their full names)');
      },
    },
    {
      name: 'diagnosis_code',
      required: true,
      read(raw) {
        if (raw.trim() === '') return fault('is required');
        const code = normaliseDiagnosisCode(raw);
        return code ? ok(code) : fault('must be an ICD-10-CM code such as F33.1');
      },
    },
    oneOf('problem_area', false, PROBLEM_AREAS),
    {
      name: 'age',
      required: false,
      read(raw) {
        const age = AGE.read(raw);
        // Only the band is kept: an exact age is a quasi-identifier.
        return age.ok && typeof age.value === 'number' ? ok(ageBand(age.value)) : age;
      },
    },
    month('start_month', true),
    month('end_month', false),
    oneOf('end_reason', false, END_REASONS),
    wholeNumber('sessions_attended', true, 0, MAX_SESSIONS),
    wholeNumber('sessions_missed', false, 0, MAX_SESSIONS),
    wholeNumber('wait_days', false, 0, MAX_WAIT_DAYS),
    oneOf('delivery', false, DELIVERY_MODES),
  ],
  checkRow(row) {
    if (row.end_month !== null && (row.end_month as string) < (row.start_month as string)) {
      return { column: 'end_month', reason: 'is before start_month' };
    }
    if (row.end_month !== null && row.end_reason === null)
      return { column: 'end_reason', reason: 'is required when end_month is given' };
    if (row.end_month === null && row.end_reason !== null)
      return { column: 'end_month', reason: 'is required when end_reason is given' };
    return null;
  },
};

/** Every instrument's range, for a score that is not a number at all: "0 to 27 for PHQ-9, 0 to 21 for GAD-7". */
const SCORE_RANGES = Object.values(INSTRUMENT_DEFINITIONS)
  .map((definition) => `0 to ${definition.maxScore} for ${definition.name}`)
  .join(', ');

export const MEASURES: FileContract = {
  file: 'measures.csv',
  required: true,
  columns: [
    identifier('episode_id', true),
    wholeNumber('session_number', true, 0, MAX_SESSIONS),
    {
      name: 'instrument',
      required: true,
      read(raw) {
        if (raw.trim() === '') return fault('is required');
        const instrument = parseInstrument(raw);
        return instrument ? ok(instrument) : fault('must be PHQ-9 or GAD-7 (PHQ9, GAD7, 44261-6, 70274-6)');
      },
    },
    {
      // The range depends on the instrument, which this cell cannot see (it may come later in the
      // row): any whole number is read here and checked against its instrument's range in checkRow,
      // so a GAD-7 score of 30 is told 0 to 21, not the widest range of all instruments.
      name: 'score',
      required: true,
      read(raw) {
        const value = raw.trim();
        if (value === '') return fault('is required');
        if (!/^[0-9]+$/.test(value)) return fault(`must be a whole number (${SCORE_RANGES})`);
        return ok(Number(value));
      },
    },
    wholeNumber('item9', false, 0, 3),
  ],
  checkRow(row) {
    const definition = INSTRUMENT_DEFINITIONS[row.instrument as keyof typeof INSTRUMENT_DEFINITIONS];
    if ((row.score as number) > definition.maxScore) {
      return {
        column: 'score',
        reason: `must be a whole number from 0 to ${definition.maxScore} for ${definition.name}`,
      };
    }
    if (row.item9 !== null && definition.name !== 'PHQ-9')
      return { column: 'item9', reason: 'is only recorded with PHQ-9' };
    return null;
  },
  noteRow(row) {
    // Item 9 (thoughts of self-harm, 0-3) is one of the nine items the PHQ-9 total adds up, so it
    // cannot be above the total: one of the two is wrong, and which is unknown. Rejecting the row
    // would lose a possible self-harm answer from the safety pages and a score from the outcomes,
    // so it is kept as sent and the load names it (the customer's clinic-400 export has one).
    if (row.item9 !== null && (row.item9 as number) > (row.score as number)) {
      return { column: 'item9', note: 'item 9 above the PHQ-9 total, of which it is one of the nine items' };
    }
    return null;
  },
};

export const CLINICIANS: FileContract = {
  file: 'clinicians.csv',
  required: false,
  columns: [
    identifier('clinician_id', true),
    siteName('location', true),
    {
      name: 'modalities',
      required: true,
      read(raw) {
        const parts = raw
          .split(';')
          .map((part) => part.trim())
          .filter(Boolean);
        if (parts.length === 0) return fault('is required (a semicolon list such as IPT;CBT)');
        const modalities = parts.map(parseModality);
        // Positions, not the text: a rejection's reason is stored, and an unread cell may hold anything.
        const unknown = parts.flatMap((_, index) => (modalities[index] === null ? [index + 1] : []));
        if (unknown.length > 0) {
          // "IPT, CBT" (quoted) is one item to a semicolon list: say which separator is meant.
          const commas = parts.some((part) => part.includes(','))
            ? '; separate modalities with semicolons, not commas'
            : '';
          return fault(
            `has an unknown modality (item ${unknown.join(', ')} of ${parts.length}; IPT, CBT, IPSRT, DIT or other${commas})`,
          );
        }
        return ok([...new Set(modalities)].join(';'));
      },
    },
    {
      name: 'fte',
      required: true,
      read(raw) {
        const value = raw.trim();
        if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0 || Number(value) > 1.5) {
          return fault('must be a number greater than 0 and at most 1.5');
        }
        return ok(Number(value));
      },
    },
  ],
};

export const FILE_CONTRACTS: readonly FileContract[] = [EPISODES, MEASURES, CLINICIANS];

/**
 * Header names that suggest a direct identifier (HIPAA Safe Harbor). A file carrying one is refused
 * whole: it should never have left the clinic's record system.
 */
const IDENTIFIER_HEADER_WORDS = [
  'name',
  'firstname',
  'lastname',
  'surname',
  'fullname',
  'dob',
  'birth',
  'birthdate',
  'dateofbirth',
  'ssn',
  'social',
  'mrn',
  'medical',
  'record',
  'email',
  'mail',
  'phone',
  'telephone',
  'mobile',
  'cell',
  'fax',
  'address',
  'street',
  'zip',
  'zipcode',
  'postcode',
  'postal',
  'insurance',
  'medicaid',
  'medicare',
  'license',
  'ip',
];

export function looksLikeDirectIdentifier(header: string): boolean {
  const words = header
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const joined = words.join('');
  return (
    words.some((word) => IDENTIFIER_HEADER_WORDS.includes(word)) ||
    [
      'firstname',
      'lastname',
      'fullname',
      'dateofbirth',
      'birthdate',
      'medicalrecord',
      'socialsecurity',
      'emailaddress',
      'phonenumber',
    ].some((word) => joined.includes(word))
  );
}
