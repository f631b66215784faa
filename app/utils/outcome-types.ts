/* eslint-disable no-restricted-imports -- types only: erased from both bundles, so the browser gets none of the query code */
/**
 * The outcome query contract's types (db/queries/outcome-query.ts), for components that draw its
 * answers. Values (the zod schema, parseOutcomeFilters) stay on the server.
 */
export type {
  GroupDimension,
  MeanFigure,
  OutcomeFilters,
  OutcomeRow,
  OutcomesResult,
  ProportionFigure,
  ProportionMetric,
} from '../../db/queries/outcome-query';
export type { TimeToImprovementRow } from '../../db/queries/get-time-to-improvement';
export type { FunnelRow, FunnelMetric, FunnelUnit } from '../../db/queries/get-funnel';
export type { TrendQuarter, TrendRow } from '../../db/queries/get-trend';
