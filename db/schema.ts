import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Kysely's view of the warehouse (db/migrations). Nullable columns are `T | null`. */
export interface Database {
  etl_run: EtlRunTable;
  etl_run_file: EtlRunFileTable;
  etl_rejection: EtlRejectionTable;
  episode: EpisodeTable;
  measure: MeasureTable;
  clinician: ClinicianTable;
  episode_outcome: EpisodeOutcomeTable;
  outcome_cell: OutcomeCellTable;
  intake_cell: IntakeCellTable;
  quasi_identifier_class: QuasiIdentifierClassTable;
  warehouse_total: WarehouseTotalTable;
  clinician_funnel: ClinicianFunnelTable;
  warehouse_setting: WarehouseSettingTable;
  account: AccountTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  audit_event: AuditEventTable;
  sign_in_throttle: SignInThrottleTable;
}

export interface WarehouseSettingTable {
  name: string;
  value: string;
}

export type RunStatus = 'running' | 'succeeded' | 'refused' | 'failed' | 'interrupted';

export interface EtlRunTable {
  id: Generated<number>;
  started_at: ColumnType<Date, Date | undefined, never>;
  finished_at: Date | null;
  status: RunStatus;
  dry_run: boolean;
  source: string;
  reason: string | null;
}
export type EtlRun = Selectable<EtlRunTable>;

export interface EtlRunFileTable {
  run_id: number;
  file_name: string;
  sha256: string;
  bytes: number;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
}
export type EtlRunFile = Selectable<EtlRunFileTable>;

export interface EtlRejectionTable {
  id: Generated<string>;
  run_id: number;
  file_name: string;
  line: number;
  column_name: string | null;
  reason: string;
  value: string | null;
}
export type EtlRejection = Selectable<EtlRejectionTable>;
export type NewEtlRejection = Insertable<EtlRejectionTable>;

export interface EpisodeTable {
  episode_key: string;
  client_key: string;
  clinician_key: string | null;
  location: string;
  modality: string;
  diagnosis_code: string;
  condition: string;
  problem_area: string | null;
  age_band: string | null;
  start_month: string;
  end_month: string | null;
  end_reason: string | null;
  sessions_attended: number;
  sessions_missed: number | null;
  wait_days: number | null;
  delivery: string | null;
  run_id: number;
}

export interface MeasureTable {
  episode_key: string;
  instrument: string;
  session_number: number;
  score: number;
  item9: number | null;
  run_id: number;
}

export interface ClinicianTable {
  clinician_key: string;
  location: string;
  modalities: string[];
  fte: number;
  run_id: number;
}

export interface EpisodeOutcomeTable {
  episode_key: string;
  instrument: string;
  modality: string;
  location: string;
  condition: string;
  length_band: string;
  problem_area: string | null;
  age_band: string | null;
  delivery: string | null;
  clinician_key: string | null;
  start_month: string;
  end_month: string | null;
  end_quarter: string | null;
  sessions_attended: number;
  scores: number;
  baseline: number | null;
  final: number | null;
  baseline_session: number | null;
  last_session: number | null;
  improved_session: number | null;
  severity_band: string | null;
  paired: boolean;
  finished: boolean;
  outcome_cohort: boolean;
  baseline_caseness: boolean | null;
  reliable_improvement: boolean | null;
  reliable_deterioration: boolean | null;
  recovery: boolean | null;
  reliable_recovery: boolean | null;
  response: boolean | null;
  remission: boolean | null;
  dropout: boolean | null;
  max_item9: number | null;
}

/**
 * The dimension columns both tables of cells keep, under episode_outcome's names, so that the same
 * filters select the same episodes' cells in either (cellWhere, db/queries/outcome-cells.ts); each
 * is null in a cell whose grain does not keep it.
 */
interface CellDimensionColumns {
  modality: string | null;
  location: string | null;
  condition: string | null;
  length_band: string | null;
  problem_area: string | null;
  age_band: string | null;
  delivery: string | null;
  end_month: string | null;
}

/**
 * episode_outcome pre-aggregated at each grain of db/queries/outcome-cells.ts
 * (db/migrations/2026-11-26T04-30-00_outcome_cell.ts): dimension columns outside the grain are null.
 */
export interface OutcomeCellTable extends CellDimensionColumns {
  grain: string;
  instrument: string;
  /** Kept by the start-month grain only (db/migrations/2026-11-26T17-00-00_outcome_cell_start_month.ts). */
  start_month: string | null;
  end_quarter: string | null;
  severity_band: string | null;
  clinician_key: string | null;
  sessions_attended: number | null;
  tti_session: number | null;
  episodes: number;
  finished: number;
  outcome_cohort: number;
  paired: number;
  improved: number;
  sessions_sum: number;
  baseline_sum: number;
  baseline_sum_sq: number;
  final_sum: number;
  change_sum: number;
  change_sum_sq: number;
  recovery_count: number;
  recovery_denominator: number;
  reliable_recovery_count: number;
  reliable_recovery_denominator: number;
  reliable_improvement_count: number;
  reliable_improvement_denominator: number;
  reliable_deterioration_count: number;
  reliable_deterioration_denominator: number;
  response_count: number;
  response_denominator: number;
  remission_count: number;
  remission_denominator: number;
  dropout_count: number;
  dropout_denominator: number;
  /** The quality pages' measures (db/migrations/2026-11-26T08-10-00_outcome_cell_quality.ts, db/queries/quality-measures.ts). */
  no_baseline: number;
  no_final: number;
  attended_sum: number;
  sessions_scored: number;
  early_dropout_count: number;
  /** PHQ-9 item 9 (2026-11-26T17-00-00_outcome_cell_start_month.ts). */
  item9_answered: number;
  item9_flagged: number;
  /** The cell's name, generated by Postgres (05-40, generated again with the start month by 17-00). */
  cell_key: ColumnType<string, never, never>;
}

/**
 * Episodes pre-aggregated at each grain of db/queries/intake-cells.ts for the access, demand, plan
 * and warehouse pages (db/migrations/2026-11-26T08-30-00_intake_cell.ts): dimension columns
 * outside the grain are null.
 */
export interface IntakeCellTable extends CellDimensionColumns {
  grain: string;
  start_month: string | null;
  wait_days: number | null;
  episodes: number;
  sessions_attended_sum: number;
  missed_counted: number;
  sessions_missed_sum: number;
  attended_counted_sum: number;
  cell_key: ColumnType<string, never, never>;
}

/**
 * How many people share each combination of the quasi-identifiers, per subset of them (grain)
 * (db/migrations/2026-11-27T10-00-00_quasi_identifier_class.ts): identifiers outside the grain are null.
 */
export interface QuasiIdentifierClassTable {
  grain: string;
  age_band: string | null;
  condition: string | null;
  location: string | null;
  modality: string | null;
  /** Distinct pseudonymised clients. */
  clients: number;
  cell_key: ColumnType<string, never, never>;
}

/**
 * Counts no pre-aggregated table holds, kept exact by each load
 * (db/migrations/2026-11-27T18-40-00_warehouse_total.ts, db/load/warehouse-totals.ts).
 */
export interface WarehouseTotalTable {
  /** 'scores': the rows of measure. */
  name: 'scores';
  total: number;
}

/**
 * Each clinician's standardised counts for the funnel of the whole clinic group, a row per
 * instrument, funnel metric and modality, kept by each load
 * (db/migrations/2026-11-28T15-00-00_clinician_funnel.ts, db/load/refresh-clinician-funnels.ts).
 */
export interface ClinicianFunnelTable {
  instrument: string;
  metric: string;
  /** Null: every modality. */
  modality: string | null;
  /** [clinician_key (null: no clinician), denominator, observed, expected] per clinician, in key order. */
  units: Array<[string | null, number, number, number]>;
}

// Accounts, sessions, API tokens and the audit trail (db/migrations/2026-11-26T01-00-00_accounts.ts).

export interface AccountTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  role: string;
  locations: string[] | null;
  password_hash: string;
  must_change_password: Generated<boolean>;
  disabled_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  password_changed_at: Generated<Date>;
  last_sign_in_at: Date | null;
}
export type AccountRow = Selectable<AccountTable>;

export type SessionEndReason = 'sign_out' | 'idle' | 'expired' | 'password_changed' | 'account_changed';

export interface UserSessionTable {
  id_hash: string;
  account_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  ended_at: Date | null;
  end_reason: SessionEndReason | null;
  client_address: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<string>;
  name: string;
  token_hash: string;
  token_prefix: string;
  role: string;
  locations: string[] | null;
  created_at: Generated<Date>;
  created_by: string;
  last_used_at: Date | null;
  revoked_at: Date | null;
  /** After this the token is refused like a revoked one (migration 2026-11-27T04-10-00). */
  expires_at: Date;
}
export type ApiTokenRow = Selectable<ApiTokenTable>;

export interface AuditEventTable {
  id: Generated<string>;
  at: Generated<Date>;
  principal_kind: 'user' | 'token' | 'anonymous' | 'system';
  principal_id: string | null;
  principal_name: string | null;
  role: string | null;
  action: string;
  route: string;
  filters: ColumnType<Record<string, unknown> | null, string | null, never>;
  rows_out: number | null;
  status: number | null;
  client_address: string | null;
  detail: string | null;
}
export type AuditEventRow = Selectable<AuditEventTable>;

/** Failed sign-ins per throttle key since its window opened (app/utils/sign-in-throttle.server.ts). */
export interface SignInThrottleTable {
  key: string;
  failures: number;
  /** Epoch milliseconds on the app's clock; bigint, read back as a string by node-postgres. */
  window_start_ms: ColumnType<string | number, number, number>;
}
