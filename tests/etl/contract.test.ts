import { describe, expect, test } from 'vitest';
import { CLINICIANS, EPISODES, looksLikeDirectIdentifier, MEASURES } from '../../etl/files/contract';
import { mapHeader } from '../../etl/files/header';
import { maskedValue } from '../../etl/files/value-shape';

const column = (contract: typeof EPISODES, name: string) =>
  contract.columns.find((candidate) => candidate.name === name)!;

describe('episode columns', () => {
  test('months accept YYYY-MM and cut a full date to its month', () => {
    const startMonth = column(EPISODES, 'start_month');
    expect(startMonth.read('2025-03')).toEqual({ ok: true, value: '2025-03' });
    expect(startMonth.read('2025-03-31')).toEqual({ ok: true, value: '2025-03' });
    expect(startMonth.read('2025-02-30').ok).toBe(false);
    expect(startMonth.read('2025-13').ok).toBe(false);
    // A month and year as spreadsheets write them; a full date with slashes stays refused (day
    // first or month first cannot be told apart).
    expect(startMonth.read('03/2025')).toEqual({ ok: true, value: '2025-03' });
    expect(startMonth.read('3/2025')).toEqual({ ok: true, value: '2025-03' });
    expect(startMonth.read('12/2025')).toEqual({ ok: true, value: '2025-12' });
    for (const refused of ['13/2025', '0/2025', '00/2025', '17/03/1984', '03/25', '2025/03']) {
      expect(startMonth.read(refused).ok, refused).toBe(false);
    }
  });

  test('a date and time, as databases export them, is cut to the month written, whatever its offset', () => {
    const endMonth = column(EPISODES, 'end_month');
    for (const written of [
      '2025-03-31T09:30',
      '2025-03-31T23:59:59',
      '2025-03-31 23:59:59.123',
      '2025-03-31T23:30:00Z',
      // 2025-04-01 in UTC, but the clinic wrote 31 March: the month written is kept.
      '2025-03-31T23:30:00-05:00',
      '2025-03-01T00:10:00+0100',
      '2025-03-01t00:10:00+01',
    ]) {
      expect(endMonth.read(written), written).toEqual({ ok: true, value: '2025-03' });
    }
    expect(endMonth.read('2025-02-30T10:00')).toEqual({ ok: false, reason: 'is not a real date' });
    for (const impossible of [
      '2025-03-31T24:00',
      '2025-03-31T10:60',
      '2025-03-31T10:00:61',
      '2025-03-31T10:00+15:00',
    ]) {
      expect(endMonth.read(impossible), impossible).toEqual({ ok: false, reason: 'is not a real time' });
    }
    for (const other of ['2025-03-31T10', '2025-03-31T1030', '2025-03-31 at 10:30', '2025-03T10:00']) {
      expect(endMonth.read(other).ok, other).toBe(false);
    }
  });

  test('age is kept only as its band; 89 and 90 fall either side of the Safe Harbor cut', () => {
    const age = column(EPISODES, 'age');
    expect(age.read('17')).toEqual({ ok: true, value: 'under_18' });
    expect(age.read('18')).toEqual({ ok: true, value: '18-24' });
    expect(age.read('89')).toEqual({ ok: true, value: '65-89' });
    expect(age.read('90')).toEqual({ ok: true, value: '90+' });
    expect(age.read('121').ok).toBe(false);
    expect(age.read('')).toEqual({ ok: true, value: null });
  });

  test('modality accepts codes and full names in any case', () => {
    const modality = column(EPISODES, 'modality');
    expect(modality.read('ipt')).toEqual({ ok: true, value: 'IPT' });
    expect(modality.read('Interpersonal and Social Rhythm Therapy')).toEqual({ ok: true, value: 'IPSRT' });
    expect(modality.read('EMDR').ok).toBe(false);
  });

  test('diagnosis codes are normalised ICD-10-CM', () => {
    const code = column(EPISODES, 'diagnosis_code');
    expect(code.read('f331')).toEqual({ ok: true, value: 'F33.1' });
    expect(code.read('F32.A')).toEqual({ ok: true, value: 'F32.A' });
    expect(code.read('296.32').ok).toBe(false);
  });

  test('a location is a site name: one that holds an email, a date or a number run is refused as an identifier', () => {
    for (const contract of [EPISODES, CLINICIANS]) {
      const location = column(contract, 'location');
      for (const site of [
        'Loop',
        'River North',
        'Lakeview',
        'Evanston',
        'Arlington Heights',
        'Online',
        'Suite 1200, Loop',
        '@SUM(A1:A9)',
        // A month's word inside a name, or one with no number beside it, is not a date.
        'Marchmont Street 2',
        'May Street Clinic',
        'Mayfair 22',
        'Decatur Suite 10',
        'Augusta, Floor 12',
        // A street number before a month's word, with no year after it.
        '12 May Street',
      ]) {
        expect(location.read(site), site).toEqual({ ok: true, value: site });
      }
      const refused: Array<[string, RegExp]> = [
        ['jane.doe@example.org', /email/],
        ['Evanston (jdoe@clinic.com)', /email/],
        ['17/03/1984', /date/],
        ['Loop 1984-03-17', /date/],
        ['3.17.84', /date/],
        ['(312) 555-0148', /5 or more digits/],
        ['Evanston 60201', /5 or more digits/],
        // A month in words beside a day or a year of 2 or 4 digits: a date of birth, as a date is.
        ['March 17, 1984', /looks like a date/],
        ['17 Mar 84', /looks like a date/],
        ['March 1984', /looks like a date/],
        ['Evanston march 84', /looks like a date/],
        ['Loop 3 SEP 1984', /looks like a date/],
        ['Sept. 84', /looks like a date/],
        ['1984 March', /looks like a date/],
        ['17-Mar-84', /looks like a date/],
        ['17Mar84', /looks like a date/],
        ['x'.repeat(61), /longer than 60/],
      ];
      for (const [value, reason] of refused) {
        const result = location.read(value);
        expect(result.ok, value).toBe(false);
        if (!result.ok) expect(result.reason, value).toMatch(reason);
      }
      // 60 characters is still a site name.
      expect(location.read('y'.repeat(60)).ok).toBe(true);
    }
  });

  test('an episode cannot end before it starts, and an end needs its reason', () => {
    const base = { start_month: '2025-05', end_month: '2025-04', end_reason: 'completed' };
    expect(EPISODES.checkRow!(base)).toEqual({ column: 'end_month', reason: 'is before start_month' });
    expect(EPISODES.checkRow!({ ...base, end_month: '2025-05' })).toBeNull();
    expect(EPISODES.checkRow!({ ...base, end_month: '2025-06', end_reason: null })?.column).toBe('end_reason');
  });
});

describe('clinician columns', () => {
  test('modalities are a semicolon list; one written with commas is told to use semicolons', () => {
    const modalities = column(CLINICIANS, 'modalities');
    expect(modalities.read('IPT; cbt;IPT')).toEqual({ ok: true, value: 'IPT;CBT' });
    expect(modalities.read('IPT, CBT')).toEqual({
      ok: false,
      reason:
        'has an unknown modality (item 1 of 1; IPT, CBT, IPSRT, DIT or other; separate modalities with semicolons, not commas)',
    });
    expect(modalities.read('IPT;Gestalt')).toEqual({
      ok: false,
      reason: 'has an unknown modality (item 2 of 2; IPT, CBT, IPSRT, DIT or other)',
    });
  });
});

describe('measure columns', () => {
  test('score range depends on the instrument', () => {
    expect(MEASURES.checkRow!({ instrument: 'PHQ-9', score: 27, item9: null })).toBeNull();
    expect(MEASURES.checkRow!({ instrument: 'GAD-7', score: 21, item9: null })).toBeNull();
    expect(MEASURES.checkRow!({ instrument: 'GAD-7', score: 22, item9: null })?.column).toBe('score');
    expect(MEASURES.checkRow!({ instrument: 'GAD-7', score: 3, item9: 1 })?.column).toBe('item9');
  });

  test('instrument accepts LOINC codes', () => {
    const instrument = column(MEASURES, 'instrument');
    expect(instrument.read('44261-6')).toEqual({ ok: true, value: 'PHQ-9' });
    expect(instrument.read('gad7')).toEqual({ ok: true, value: 'GAD-7' });
  });
});

describe('headers', () => {
  test('direct identifiers are recognised, contract columns are not', () => {
    for (const name of [
      'patient_name',
      'First Name',
      'DOB',
      'date_of_birth',
      'SSN',
      'MRN',
      'email',
      'phone_number',
      'street_address',
      'zip',
    ]) {
      expect(looksLikeDirectIdentifier(name), name).toBe(true);
    }
    for (const contract of [EPISODES, MEASURES]) {
      for (const { name } of contract.columns) expect(looksLikeDirectIdentifier(name), name).toBe(false);
    }
  });

  test('header names are case-insensitive, in any order; unknown columns are ignored', () => {
    const map = mapHeader(MEASURES, ['Score', 'EPISODE_ID', 'note', 'Instrument', 'session_number']);
    expect(map.columns.map((c) => c?.name ?? null)).toEqual([
      'score',
      'episode_id',
      null,
      'instrument',
      'session_number',
    ]);
    expect(map.ignored).toEqual(['note']);
  });

  test('a missing required column or a repeated one refuses the file', () => {
    expect(() => mapHeader(MEASURES, ['episode_id', 'score', 'instrument'])).toThrow(
      /missing required column session_number/,
    );
    expect(() => mapHeader(MEASURES, ['episode_id', 'Score', 'score', 'instrument', 'session_number'])).toThrow(
      /appears twice/,
    );
  });

  test('a file separated by semicolons or tabs is told so, not listed as missing every column', () => {
    // One header cell: csv-parse splits only on commas.
    expect(() => mapHeader(MEASURES, ['\uFEFFepisode_id;session_number;instrument;score;item9'])).toThrow(
      'measures.csv: the header row is one column holding semicolons: the file is separated by semicolons',
    );
    expect(() => mapHeader(MEASURES, ['Episode_ID\tSession_Number\tInstrument\tScore'])).toThrow(
      'the header row is one column holding tabs',
    );
    // A one-column header that is no contract column split any way is still a missing column.
    expect(() => mapHeader(MEASURES, ['notes;comments'])).toThrow(/missing required columns episode_id/);
  });
});

describe('masked rejected values', () => {
  test('digits 9, capitals A, other letters a, the rest as written, and the length in characters', () => {
    expect(maskedValue('1984-03-17')).toBe('9999-99-99 (10 characters)');
    expect(maskedValue('Jane Doe')).toBe('Aaaa Aaa (8 characters)');
    expect(maskedValue('jane.doe@example.org')).toBe('aaaa.aaa@aaaaaaa.aaa (20 characters)');
    expect(maskedValue(' 12 ')).toBe(' 99  (4 characters)');
    expect(maskedValue('x')).toBe('a (1 character)');
    expect(maskedValue('')).toBe('(empty)');
  });

  test('letters of any script and their marks are letters; controls are ?; a character is a code point', () => {
    // "Zoë" decomposed: Z, o, e and a combining diaeresis (4 code points).
    expect(maskedValue('Zoe\u0308')).toBe('Aaaa (4 characters)');
    expect(maskedValue('Łódź')).toBe('Aaaa (4 characters)');
    expect(maskedValue('a\tb\u0000')).toBe('a?a? (4 characters)');
    // One emoji is two UTF-16 units but one character, kept as written.
    expect(maskedValue('🙂1')).toBe('🙂9 (2 characters)');
  });

  test('only the first 24 characters are shaped; the length counts them all', () => {
    // 26 letters: 24 shaped, then the ellipsis.
    expect(maskedValue('ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toBe(`${'A'.repeat(24)}… (26 characters)`);
    expect(maskedValue('9'.repeat(24))).toBe(`${'9'.repeat(24)} (24 characters)`);
  });
});
