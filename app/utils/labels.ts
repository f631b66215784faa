import { NOT_RECORDED } from './format';
import type { GroupDimension, NoFigureReason, ProportionMetric } from './outcome-types';

/**
 * Words for the codes of db/definitions.ts, shared by pages, tables and CSV headers. Values the
 * data brings (locations) are shown as they are; a missing value is "not recorded".
 */

/** An episode with no score on the instrument before treatment, so no baseline severity band. */
export const NO_BASELINE = 'No baseline score';

export const DIMENSION_LABELS: Record<GroupDimension, string> = {
  modality: 'Modality',
  location: 'Location',
  condition: 'Condition',
  length_band: 'Treatment length (sessions)',
  problem_area: 'IPT problem area',
  age_band: 'Age band',
  delivery: 'Delivery',
  severity_band: 'Baseline severity',
  end_quarter: 'Quarter ended',
};

const VALUE_LABELS: Record<string, string> = {
  depression: 'Depression',
  anxiety: 'Anxiety',
  eating: 'Eating disorders',
  bipolar: 'Bipolar',
  grief_adjustment: 'Grief and adjustment',
  relationship: 'Relationship distress',
  other: 'Other',
  grief: 'Grief',
  role_dispute: 'Role dispute',
  role_transition: 'Role transition',
  interpersonal_deficits: 'Interpersonal deficits',
  in_person: 'In person',
  telehealth: 'Telehealth',
  mixed: 'Mixed',
  under_18: 'Under 18',
  minimal: 'Minimal',
  mild: 'Mild',
  moderate: 'Moderate',
  moderately_severe: 'Moderately severe',
  severe: 'Severe',
  none: NOT_RECORDED,
};

/** The words for one value of a dimension (modality codes and locations stay as they are). */
export function valueLabel(dimension: GroupDimension | 'instrument', value: string | null | undefined): string {
  // The one dimension whose missing value is not a gap in the records: no score before treatment.
  if (dimension === 'severity_band' && (value === null || value === undefined || value === 'none')) return NO_BASELINE;
  if (value === null || value === undefined || value === 'none') return NOT_RECORDED;
  if (dimension === 'modality' || dimension === 'location' || dimension === 'instrument') return value;
  if (dimension === 'length_band') return `${value} sessions`;
  return VALUE_LABELS[value] ?? value;
}

/**
 * How to read two 95% intervals side by side (Compare, and every rate chart's whiskers). Intervals
 * that do not overlap mark a difference chance alone would rarely give; intervals that overlap do
 * not show the groups alike: two rates can differ beyond chance while their intervals overlap (by
 * up to about a quarter of their length), so overlap is no evidence of sameness.
 */
export const INTERVAL_READING =
  'Intervals that do not overlap mark a difference chance alone would rarely give; intervals that overlap do not, by themselves, show that two groups are alike.';

export const METRIC_LABELS: Record<ProportionMetric, string> = {
  recovery: 'Recovery',
  reliable_recovery: 'Reliable recovery',
  reliable_improvement: 'Reliable improvement',
  reliable_deterioration: 'Reliable deterioration',
  response: 'Response',
  remission: 'Remission',
  dropout: 'Dropout',
};

/**
 * What a figure shows when it has no value for a reason other than withholding (getPageOutcomes):
 * no one is in the population it is taken over, or its definition gives none. Not withheld
 * (nothing small is hidden), not a zero (there is no rate of no one).
 */
export const NO_FIGURE_LABELS: Record<NoFigureReason, string> = {
  at_caseness: 'None at caseness',
  finished: 'None finished',
  baselines_all_equal: 'Undefined: baselines all equal',
};

export const INSTRUMENT_LABELS: Record<string, string> = {
  'PHQ-9': 'PHQ-9 (depression)',
  'GAD-7': 'GAD-7 (anxiety)',
  combined: 'PHQ-9 and GAD-7 combined (NHS)',
};

/**
 * A heading about one instrument's figures: "By modality: PHQ-9 (depression)". The instrument's
 * label holds brackets of its own, so it follows a colon rather than going in brackets.
 */
export function instrumentHeading(heading: string, instrument: string): string {
  return `${heading}: ${INSTRUMENT_LABELS[instrument] ?? instrument}`;
}
