import type { Condition, Delivery, Modality, ProblemArea } from '../../db/definitions';
import { weightedTable, type WeightedTable } from './random';

/**
 * The fictional clinic group the demo data describes: a Chicago-area practice with five sites and
 * a large online service. Shares and effects are chosen so the dashboard shows what a real group
 * shows (METRICS.md): recovery near 50% overall, a real spread between sites, modest differences
 * between modalities, IPT courses of 12-16 sessions and CBT courses of 7-9.
 */

export interface LocationProfile {
  name: string;
  /** Share of all episodes. */
  share: number;
  /** Multiplies the expected improvement of its episodes (1 = the group's average). */
  improvement: number;
  /** Median days from referral to first session. */
  medianWaitDays: number;
}

export const LOCATIONS: readonly LocationProfile[] = [
  { name: 'Online', share: 0.3, improvement: 1.0, medianWaitDays: 24 },
  { name: 'Loop', share: 0.17, improvement: 1.04, medianWaitDays: 42 },
  { name: 'River North', share: 0.14, improvement: 1.25, medianWaitDays: 38 },
  { name: 'Lakeview', share: 0.14, improvement: 0.94, medianWaitDays: 35 },
  { name: 'Evanston', share: 0.13, improvement: 1.1, medianWaitDays: 50 },
  { name: 'Arlington Heights', share: 0.12, improvement: 0.8, medianWaitDays: 62 },
];
export const ONLINE_LOCATION = 'Online';

export const CONDITION_MIX: WeightedTable<Condition> = weightedTable<Condition>([
  ['depression', 42],
  ['anxiety', 24],
  ['grief_adjustment', 10],
  ['bipolar', 8],
  ['relationship', 6],
  ['eating', 4],
  ['other', 6],
]);

/**
 * ICD-10-CM codes seen for each condition group, with relative frequencies. Codes from before
 * and after the FY2025 eating-disorder split both appear, as they do in a real export.
 */
export const DIAGNOSIS_CODES: Record<Condition, ReadonlyArray<readonly [string, number]>> = {
  depression: [
    ['F33.1', 26],
    ['F32.1', 22],
    ['F33.0', 8],
    ['F32.0', 6],
    ['F33.2', 7],
    ['F32.2', 5],
    ['F32.9', 7],
    ['F32.A', 6],
    ['F33.9', 3],
    ['F33.41', 2],
    ['F34.1', 8],
  ],
  anxiety: [
    ['F41.1', 55],
    ['F41.0', 14],
    ['F40.10', 10],
    ['F40.11', 3],
    ['F41.9', 9],
    ['F40.01', 4],
    ['F41.8', 5],
  ],
  eating: [
    ['F50.2', 30],
    ['F50.81', 35],
    ['F50.22', 10],
    ['F50.811', 15],
    ['F50.819', 10],
  ],
  bipolar: [
    ['F31.81', 30],
    ['F31.31', 12],
    ['F31.32', 10],
    ['F31.9', 14],
    ['F31.4', 6],
    ['F31.0', 6],
    ['F31.11', 4],
    ['F31.75', 10],
    ['F31.76', 8],
  ],
  grief_adjustment: [
    ['F43.23', 30],
    ['F43.21', 24],
    ['F43.22', 14],
    ['F43.20', 8],
    ['F43.25', 4],
    ['Z63.4', 20],
  ],
  relationship: [
    ['Z63.0', 85],
    ['Z63.8', 15],
  ],
  other: [
    ['F43.10', 30],
    ['F42.2', 15],
    ['F60.3', 15],
    ['F50.00', 8],
    ['F45.1', 10],
    ['F51.01', 12],
    ['F43.12', 10],
  ],
};
export const DIAGNOSIS_CODE_TABLES: Record<Condition, WeightedTable<string>> = mapValues(
  DIAGNOSIS_CODES,
  weightedTable,
);

/**
 * Modality by condition. Overall this gives about IPT 35%, CBT 44%, IPSRT 8% (four in five of them
 * bipolar), DIT 8%, other 6%.
 */
const MODALITY_BY_CONDITION: Record<Condition, Record<Modality, number>> = {
  depression: { IPT: 40, CBT: 42, IPSRT: 3.5, DIT: 10, other: 4.5 },
  anxiety: { IPT: 20, CBT: 68, IPSRT: 0, DIT: 6, other: 6 },
  grief_adjustment: { IPT: 60, CBT: 25, IPSRT: 0, DIT: 10, other: 5 },
  bipolar: { IPT: 5, CBT: 10, IPSRT: 80, DIT: 0, other: 5 },
  relationship: { IPT: 55, CBT: 25, IPSRT: 0, DIT: 12, other: 8 },
  eating: { IPT: 40, CBT: 55, IPSRT: 0, DIT: 0, other: 5 },
  other: { IPT: 25, CBT: 50, IPSRT: 0, DIT: 5, other: 20 },
};
export const MODALITY_TABLES: Record<Condition, WeightedTable<Modality>> = mapValues(MODALITY_BY_CONDITION, (mix) =>
  weightedTable(Object.entries(mix) as Array<[Modality, number]>),
);

export interface ModalityProfile {
  /** Planned course length in attended sessions: mean, sd, shortest, longest. */
  plannedSessions: { mean: number; sd: number; min: number; max: number };
  /** Multiplies the expected improvement (modest: IPT vs other therapies d = 0.04, Cuijpers 2011). */
  improvement: number;
}

export const MODALITY_PROFILES: Record<Modality, ModalityProfile> = {
  IPT: { plannedSessions: { mean: 15, sd: 2, min: 8, max: 20 }, improvement: 1.0 },
  CBT: { plannedSessions: { mean: 10, sd: 2.5, min: 4, max: 18 }, improvement: 1.02 },
  IPSRT: { plannedSessions: { mean: 20, sd: 3, min: 12, max: 26 }, improvement: 0.95 },
  DIT: { plannedSessions: { mean: 16, sd: 1.5, min: 12, max: 18 }, improvement: 0.97 },
  other: { plannedSessions: { mean: 10, sd: 4, min: 3, max: 24 }, improvement: 0.92 },
};

export interface ConditionProfile {
  /** PHQ-9 at assessment: mean and sd (most episodes start at caseness, score >= 10). */
  phq9Baseline: { mean: number; sd: number };
  /** Share of episodes that also track GAD-7 (every anxiety episode does). */
  gad7Share: number;
  improvement: number;
}

export const CONDITION_PROFILES: Record<Condition, ConditionProfile> = {
  depression: { phq9Baseline: { mean: 16.5, sd: 4.5 }, gad7Share: 0.6, improvement: 1.0 },
  anxiety: { phq9Baseline: { mean: 12, sd: 5 }, gad7Share: 1, improvement: 1.0 },
  grief_adjustment: { phq9Baseline: { mean: 13.5, sd: 5 }, gad7Share: 0.45, improvement: 1.06 },
  bipolar: { phq9Baseline: { mean: 15, sd: 5 }, gad7Share: 0.35, improvement: 0.85 },
  relationship: { phq9Baseline: { mean: 11.5, sd: 4.5 }, gad7Share: 0.4, improvement: 1.05 },
  eating: { phq9Baseline: { mean: 13, sd: 5 }, gad7Share: 0.5, improvement: 0.9 },
  other: { phq9Baseline: { mean: 12.5, sd: 5 }, gad7Share: 0.45, improvement: 0.95 },
};

/** How episodes end (before the ones still running at the last month are cut short). */
export type Ending = 'completed' | 'dropped_out' | 'referred_on' | 'other';
/**
 * One client in this many whose episode ends in a dropout is never closed in the records: no end
 * month, no end reason, though the sessions stopped (a real export has such episodes; the safety
 * audit counts those open 12 months or more, ADR 013). Chosen by client number, so the choice
 * draws no random number and every other row of a seed stays as it was.
 */
export const UNCLOSED_DROPOUT_EVERY = 40;

export const ENDINGS: WeightedTable<Ending> = weightedTable<Ending>([
  ['completed', 67],
  ['dropped_out', 18],
  ['referred_on', 10],
  ['other', 5],
]);

/** The IPT focus: grief codes point to grief, partner problems to role disputes. */
export const PROBLEM_AREA_TABLES = {
  general: weightedTable<ProblemArea>([
    ['role_transition', 35],
    ['role_dispute', 30],
    ['grief', 15],
    ['interpersonal_deficits', 20],
  ]),
  bereavement: weightedTable<ProblemArea>([
    ['grief', 85],
    ['role_transition', 12],
    ['role_dispute', 3],
  ]),
  adjustment: weightedTable<ProblemArea>([
    ['grief', 40],
    ['role_transition', 40],
    ['role_dispute', 12],
    ['interpersonal_deficits', 8],
  ]),
  relationship: weightedTable<ProblemArea>([
    ['role_dispute', 70],
    ['role_transition', 20],
    ['interpersonal_deficits', 10],
  ]),
};

/** Sites other than Online: mostly in person. Online is always telehealth. */
export const SITE_DELIVERY: WeightedTable<Delivery> = weightedTable<Delivery>([
  ['in_person', 72],
  ['mixed', 18],
  ['telehealth', 10],
]);

/** Age at start, by band: [youngest, oldest, weight]. A few clients are over 89. */
export const AGE_AT_START: ReadonlyArray<readonly [number, number, number]> = [
  [16, 17, 3],
  [18, 24, 17],
  [25, 34, 27],
  [35, 44, 21],
  [45, 54, 14],
  [55, 64, 10],
  [65, 79, 6.5],
  [80, 89, 1.2],
  [90, 95, 0.3],
];

/** Clinician contracts: full time is most common; fte never exceeds 1.5 (the contract's limit). */
export const FTE_CHOICES: WeightedTable<string> = weightedTable([
  ['1.0', 40],
  ['0.8', 20],
  ['0.6', 14],
  ['0.5', 12],
  ['0.4', 8],
  ['0.2', 4],
  ['1.2', 2],
]);

function mapValues<K extends string, A, B>(record: Record<K, A>, map: (value: A) => B): Record<K, B> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value as A)])) as Record<K, B>;
}
