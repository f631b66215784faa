import type { EmptyDenominator } from './outcome-types';

/** The Safety page's funnel metrics in words: its tables, charts and CSV files. */
export const SAFETY_METRIC_WORDS = {
  reliable_deterioration: 'Reliable deterioration',
  early_dropout: 'Early dropout',
} as const;

/** The population each Safety funnel's rate is taken over, for saying so where it is empty. */
export const SAFETY_METRIC_DENOMINATORS = {
  reliable_deterioration: 'outcome_cohort',
  early_dropout: 'ended_after_a_session',
} as const satisfies Record<keyof typeof SAFETY_METRIC_WORDS, EmptyDenominator>;
