/**
 * The one place where the outcome vocabulary and thresholds are defined (../shared/METRICS.md).
 * The ETL validates against it, the derivation SQL is built from it, and the app's methods page
 * and the analyst API read it. Change a definition here and bump DEFINITIONS_VERSION.
 */

export const DEFINITIONS_VERSION = '2026-11-25.1';

/** Default minimum cell size: a group whose outcome cohort is smaller is withheld whole. */
export const DEFAULT_MIN_CELL = 11;
/** Never allow the minimum cell size below this (NHS England dashboards hide counts < 5). */
export const MIN_CELL_FLOOR = 5;

export const INSTRUMENTS = ['PHQ-9', 'GAD-7'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];
/** `combined` is the NHS definition over episodes paired on both instruments. */
export type OutcomeInstrument = Instrument | 'combined';
export const OUTCOME_INSTRUMENTS: readonly OutcomeInstrument[] = [...INSTRUMENTS, 'combined'];

export interface InstrumentDefinition {
  name: Instrument;
  /** LOINC code of the total score. */
  loinc: string;
  maxScore: number;
  /** At caseness ("clinical range") when score >= caseness. */
  caseness: number;
  /** Reliable change between first and last score, in points. */
  reliableChange: number;
  /** Remission when the final score is below this. */
  remissionBelow: number;
  /** Severity bands of a score, lowest first: [label, lowest score in band]. */
  severityBands: ReadonlyArray<readonly [string, number]>;
  /** Spellings accepted in measures.csv, compared case-insensitively. */
  aliases: readonly string[];
}

export const INSTRUMENT_DEFINITIONS: Record<Instrument, InstrumentDefinition> = {
  'PHQ-9': {
    name: 'PHQ-9',
    loinc: '44261-6',
    maxScore: 27,
    caseness: 10,
    reliableChange: 6,
    remissionBelow: 5,
    severityBands: [
      ['minimal', 0],
      ['mild', 5],
      ['moderate', 10],
      ['moderately_severe', 15],
      ['severe', 20],
    ],
    aliases: ['phq-9', 'phq9', 'phq 9', '44261-6'],
  },
  'GAD-7': {
    name: 'GAD-7',
    loinc: '70274-6',
    maxScore: 21,
    caseness: 8,
    reliableChange: 4,
    remissionBelow: 5,
    severityBands: [
      ['minimal', 0],
      ['mild', 5],
      ['moderate', 10],
      ['severe', 15],
    ],
    aliases: ['gad-7', 'gad7', 'gad 7', '70274-6'],
  },
};

export function parseInstrument(raw: string): Instrument | null {
  const key = raw.trim().toLowerCase();
  for (const def of Object.values(INSTRUMENT_DEFINITIONS)) {
    if (def.aliases.includes(key)) return def.name;
  }
  return null;
}

/**
 * Every baseline severity band, mildest first: the PHQ-9's, which hold the GAD-7's in the same
 * order (it has no "moderately severe"; tests/engine/severity-bands.test.ts checks that). An
 * episode's band is its baseline score's on the row's instrument; it has none without a baseline
 * score, nor under the combined definition, which has no one baseline.
 */
export const SEVERITY_BANDS: readonly string[] = severityBandsOf('PHQ-9');

/**
 * The filters of outcome questions only: about one instrument's scores, not about the episode.
 * Pages that count episodes over both instruments' rows, or per episode (the quality audits,
 * staffing), neither offer nor apply them, and their links to the episode list leave them out.
 */
export const OUTCOME_ONLY_FILTERS = ['severity_band'] as const;

/**
 * Why rates differ between bands whatever the care: said beside the figures by band (Compare) and
 * on the methods page.
 */
export const SEVERITY_BAND_READING =
  'A more severe start has more room to improve reliably and further to go to recover, and extreme first scores drift back towards the average on their own (regression to the mean), so bands differ for reasons other than care: compare modalities within a band.';

/** The bands of an instrument's baselines, mildest first; none under the combined definition (two baselines). */
export function severityBandsOf(instrument: OutcomeInstrument): string[] {
  return instrument === 'combined' ? [] : INSTRUMENT_DEFINITIONS[instrument].severityBands.map(([band]) => band);
}

/**
 * A lowest-first list of bands, each with its range: up to the next band's lowest less 1, the last
 * up to `highest` (null: no upper end). For words about bands (the methods page, Compare's note).
 */
export function bandRanges<Highest extends number | null>(
  bands: ReadonlyArray<readonly [string, number]>,
  highest: Highest,
): Array<{ band: string; lowest: number; highest: number | Highest }> {
  return bands.map(([band, lowest], index) => {
    const next = bands[index + 1];
    return { band, lowest, highest: next ? next[1] - 1 : highest };
  });
}

export function severityBand(instrument: Instrument, score: number): string {
  const bands = INSTRUMENT_DEFINITIONS[instrument].severityBands;
  let label = bands[0]![0];
  for (const [name, lowest] of bands) if (score >= lowest) label = name;
  return label;
}

export const MODALITIES = ['IPT', 'CBT', 'IPSRT', 'DIT', 'other'] as const;
export type Modality = (typeof MODALITIES)[number];

const MODALITY_ALIASES: Record<string, Modality> = {
  ipt: 'IPT',
  'interpersonal therapy': 'IPT',
  'interpersonal psychotherapy': 'IPT',
  cbt: 'CBT',
  'cognitive behavioural therapy': 'CBT',
  'cognitive behavioral therapy': 'CBT',
  'cognitive behaviour therapy': 'CBT',
  'cognitive behavior therapy': 'CBT',
  ipsrt: 'IPSRT',
  'interpersonal and social rhythm therapy': 'IPSRT',
  'interpersonal social rhythm therapy': 'IPSRT',
  dit: 'DIT',
  'dynamic interpersonal therapy': 'DIT',
  other: 'other',
};

export function parseModality(raw: string): Modality | null {
  return MODALITY_ALIASES[raw.trim().toLowerCase().replace(/\s+/g, ' ')] ?? null;
}

export const CONDITIONS = [
  'depression',
  'anxiety',
  'eating',
  'bipolar',
  'grief_adjustment',
  'relationship',
  'other',
] as const;
export type Condition = (typeof CONDITIONS)[number];

/**
 * ICD-10-CM prefixes (dot removed) per condition group. Grouping by prefix keeps codes from before
 * and after the FY2025 split together. Longest prefix wins, so F50.2x and F50.81x go to eating
 * while other F50 codes stay "other".
 */
export const CONDITION_PREFIXES: ReadonlyArray<readonly [string, Condition]> = [
  ['F32', 'depression'],
  ['F33', 'depression'],
  ['F341', 'depression'],
  ['F40', 'anxiety'],
  ['F41', 'anxiety'],
  ['F502', 'eating'],
  ['F5081', 'eating'],
  ['F31', 'bipolar'],
  ['F432', 'grief_adjustment'],
  ['Z634', 'grief_adjustment'],
  ['Z630', 'relationship'],
  ['Z638', 'relationship'],
];

/** ICD-10-CM: letter, digit, digit or letter, then optionally a dot and up to four characters. */
const ICD10CM = /^([A-Z][0-9][0-9A-Z])(?:\.?([0-9A-Z]{1,4}))?$/;

/** Normalises an ICD-10-CM code to upper case with its dot ("f331" -> "F33.1"), or null. */
export function normaliseDiagnosisCode(raw: string): string | null {
  const match = ICD10CM.exec(raw.trim().toUpperCase());
  if (!match) return null;
  return match[2] ? `${match[1]}.${match[2]}` : match[1]!;
}

export function conditionOf(code: string): Condition {
  const compact = code.replace('.', '');
  let best: Condition = 'other';
  let bestLength = 0;
  for (const [prefix, condition] of CONDITION_PREFIXES) {
    if (compact.startsWith(prefix) && prefix.length > bestLength) {
      best = condition;
      bestLength = prefix.length;
    }
  }
  return best;
}

export const PROBLEM_AREAS = ['grief', 'role_dispute', 'role_transition', 'interpersonal_deficits'] as const;
export type ProblemArea = (typeof PROBLEM_AREAS)[number];

export const END_REASONS = ['completed', 'dropped_out', 'referred_on', 'other'] as const;
export type EndReason = (typeof END_REASONS)[number];

export const DELIVERY_MODES = ['in_person', 'telehealth', 'mixed'] as const;
export type Delivery = (typeof DELIVERY_MODES)[number];

/** Treatment length bands by attended sessions: [label, fewest sessions in band]. */
export const LENGTH_BANDS = [
  ['0', 0],
  ['1-4', 1],
  ['5-8', 5],
  ['9-12', 9],
  ['13-16', 13],
  ['17-20', 17],
  ['21+', 21],
] as const;
export type LengthBand = (typeof LENGTH_BANDS)[number][0];

export function lengthBand(sessionsAttended: number): LengthBand {
  let label: LengthBand = '0';
  for (const [name, fewest] of LENGTH_BANDS) if (sessionsAttended >= fewest) label = name;
  return label;
}

/** Age bands; ages over 89 collapse to 90+ (HIPAA Safe Harbor). */
export const AGE_BANDS = [
  ['under_18', 0],
  ['18-24', 18],
  ['25-34', 25],
  ['35-44', 35],
  ['45-54', 45],
  ['55-64', 55],
  ['65-89', 65],
  ['90+', 90],
] as const;
export type AgeBand = (typeof AGE_BANDS)[number][0];

export function ageBand(age: number): AgeBand {
  let label: AgeBand = 'under_18';
  for (const [name, youngest] of AGE_BANDS) if (age >= youngest) label = name;
  return label;
}

/** Episode-level rules of METRICS.md that do not depend on the instrument. */
export const EPISODE_RULES = {
  /** Finished treatment: ended, with at least this many attended sessions. */
  finishedMinSessions: 2,
  /** Dropout denominator: ended episodes with at least this many attended sessions. */
  dropoutMinSessions: 1,
  /** Response: final <= this share of baseline. */
  responseShare: 0.5,
} as const;

/**
 * National reference figures quoted in METRICS.md, drawn on the dashboard as labelled reference
 * lines: context for a reader, not targets, and from services whose case mix may differ.
 */
export const NATIONAL_BENCHMARKS = {
  recovery: {
    value: 0.5,
    label: 'NHS national recovery ~50%',
    source:
      'NHS Talking Therapies (IAPT) national figures, NHS Digital; e.g. Dec 2020: 51.6%; on the combined definition (at caseness on the depression or the anxiety measure, below caseness on both at the end)',
    /**
     * The definition the national rate is measured on, and so the only one it is drawn beside:
     * recovery on the PHQ-9 or the GAD-7 alone is another figure (fewer have to fall below caseness
     * on one measure than on both), and set against the national rate it flatters or harms a service.
     */
    instrument: 'combined' as OutcomeInstrument,
  },
  paired_completeness: {
    value: 0.98,
    label: 'NHS services ~98%',
    source: 'NHS Talking Therapies paired-score completeness, NHS Digital',
  },
  mean_sessions: { value: 7, label: 'NHS courses ~7 sessions', source: 'NHS Talking Therapies annual reports' },
  effect_size_d: {
    value: { 'PHQ-9': 0.96, 'GAD-7': 0.8 },
    label: 'routine care d ~0.96 (depression), ~0.80 (anxiety)',
    source: 'Gaskell et al. 2022, meta-analysis of routine care',
  },
} as const;

/**
 * Quality audit rules (issue 6). The target is a service standard, not a METRICS.md definition:
 * NHS services reach ~98% paired completeness; 90% is the default the quality team audits against.
 */
export const QUALITY_RULES = {
  /** Paired-score completeness a group is audited against (outcome cohort / finished). */
  pairedCompletenessTarget: 0.9,
  /**
   * Early dropout, among ended episodes with at least EPISODE_RULES.dropoutMinSessions attended:
   * ended after this many sessions (any end reason) ...
   */
  earlyEndSessions: 1,
  /** ... or dropped out before this session (fewer attended sessions than this number). */
  earlyDropoutBeforeSession: 4,
  /** Waits from referral to first session, in days: the NHS 6- and 18-week standards. */
  waitWithinDays: [42, 126],
  /**
   * The share of referrals each of those standards expects to start treatment within it (NHS
   * England's waiting-time standard for Talking Therapies, 2015: 75% within 6 weeks, 95% within
   * 18 weeks), drawn beside the Access audit's shares.
   */
  waitStandardShares: [0.75, 0.95],
  /** Percentiles of the wait reported beside each other (Postgres percentile_cont, R type 7). */
  waitPercentiles: [0.5, 0.9],
  /**
   * An episode still open this many months or more after it started, counted to the latest start
   * month in the warehouse (the data's "as of"): far past a course of IPT or CBT (12-16 weekly
   * sessions), so worth checking it was not left unclosed in the records.
   */
  longOpenMonths: 12,
} as const;

/**
 * The episode list's drill-downs to episodes still in treatment (the safety audit's ongoing
 * episodes, db/queries/quality-ongoing.ts): the episodes, those reliably worse so far, those with
 * a PHQ-9 item 9 answer above 0 so far, and those open QUALITY_RULES.longOpenMonths or more. An ongoing episode has no end month, so it is in no
 * period of episode end: links to these lists leave the page's period out.
 */
export const ONGOING_DRILL_METRICS = ['ongoing', 'ongoing_worse', 'ongoing_item9', 'ongoing_long'] as const;

/** Staffing plan rules (issue 6). */
export const STAFFING_RULES = {
  /** Sessions one full-time clinician delivers in a week, unless the planner says otherwise. */
  sessionsPerFteWeek: 25,
  /** The sessions per FTE-week a planner may enter (halves and other fractions allowed). */
  sessionsPerFteWeekRange: { min: 1, max: 60 },
  /** Demand is measured over the latest months of data (by start month). */
  demandWindowMonths: 12,
  /**
   * Weeks a full-time clinician works in a year, unless the planner says otherwise: 52 less six
   * weeks of leave, public (bank) holidays, training and sickness, a common planning figure for
   * clinical staff (the clinical review of 2026-11-27 planned with it). It is an assumption, not
   * read from the data: a clinic group enters its own. The year's sessions are spread over these
   * weeks only.
   */
  weeksWorkedPerYear: 46,
  /** The weeks worked a planner may enter: whole weeks, up to every week of the year. */
  weeksWorkedRange: { min: 30, max: 52 },
  /**
   * A missed appointment (did not attend, late cancellation) still takes the clinician's booked
   * slot, so the plan books attended + missed sessions per episode, unless the planner says not to.
   */
  missedTakeSlot: true,
} as const;

/**
 * Pseudonyms (64 hex characters) are shown cut to this many characters: enough to tell the
 * episodes and clinicians of one warehouse apart, and nothing to reverse.
 */
export const PSEUDONYM_DISPLAY_LENGTH = 12;
