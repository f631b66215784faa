/* eslint-disable no-restricted-imports -- types only: erased from both bundles, so the browser gets none of the query code */
/**
 * The outcome query contract's types (db/queries/outcome-query.ts), for components that draw its
 * answers, and the rows of the quality and staffing answers their tables draw. Values (the zod
 * schema, parseOutcomeFilters) stay on the server.
 */
export type {
  DefinedFigures,
  GroupDimension,
  MeanFigure,
  OutcomeFilters,
  OutcomeRow,
  OutcomesResult,
  ProportionFigure,
  ProportionMetric,
} from '../../db/queries/outcome-query';
export type {
  EmptyDenominator,
  NoFigureReason,
  OutcomeFigure,
  PageOutcomeRow,
  PageOutcomesResult,
} from '../../db/queries/get-outcomes';
export type { TimeToImprovementRow } from '../../db/queries/get-time-to-improvement';
export type { FunnelRow, FunnelMetric, FunnelUnit } from '../../db/queries/get-funnel';
export type { TrendQuarter, TrendRow } from '../../db/queries/get-trend';
export type { ModalityDifferenceRow } from '../../db/queries/get-modality-difference';
export type { MeasurementRow } from '../../db/queries/quality-measurement';
export type { WaitRow } from '../../db/queries/quality-access';
export type {
  FunnelUnitRow,
  Item9Row,
  SafetyFunnel,
  SafetyMetric,
  SafetyResult,
} from '../../db/queries/quality-safety';
export type { OngoingRow } from '../../db/queries/quality-ongoing';
export type { CaseloadRow } from '../../db/queries/staffing-caseload';
export type { DemandSeries, ModalitySessions } from '../../db/queries/staffing-demand';
export type { CapacityRow, CapacityTotal } from '../../db/queries/staffing-capacity';
