/**
 * The outcome engine's statistics: pure functions, no database. Proportions are 0-1 and unrounded;
 * formulas and their sources are in ../shared/METRICS.md ("Aggregates").
 */
export {
  newcombeDifference,
  wilsonBounds,
  wilsonInterval,
  Z_95,
  Z_99_8,
  type Bounds,
  type Proportion,
  type RateDifference,
} from './proportion';
export { mantelHaenszelDifference, type AdjustedDifference, type StratumPair } from './mantel-haenszel';
export {
  meanWithTInterval,
  prePostEffectSize,
  sampleStandardDeviationOf,
  sampleVarianceOf,
  sufficientStatistics,
  type MeanWithInterval,
  type SufficientStatistics,
} from './mean';
export {
  kaplanMeier,
  kaplanMeierFromCounts,
  survfitMedian,
  type KaplanMeier,
  type SurvivalCounts,
  type SurvivalCurvePoint,
  type SurvivalObservation,
} from './survival';
export { funnelLimits, funnelPosition, type FunnelLimits, type FunnelPosition } from './funnel';
export {
  indirectStandardisation,
  type IndirectStandardisation,
  type StandardisedUnit,
  standardisedUnit,
  type UnitTotals,
  type StratumCounts,
  type UnitStrata,
} from './case-mix';
export { pChartLimits, type PChart, type PChartPeriod, type PeriodCounts } from './trend';
