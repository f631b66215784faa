/** The Safety page's funnel metrics in words: its tables, charts and CSV files. */
export const SAFETY_METRIC_WORDS = {
  reliable_deterioration: 'Reliable deterioration',
  early_dropout: 'Early dropout',
} as const;
