import type { BulkSession, Warehouse } from '../../../db/connection';
import type { LoadProgress } from '../../../etl/load/types';

/** The parts of a load's transaction, as its progress reports mark them. */
export type LoadPhase = 'staging' | 'upserting' | 'deriving' | 'committing';

const PHASE_OF_PROGRESS: Partial<Record<LoadProgress['phase'], LoadPhase>> = {
  upsert: 'upserting',
  derive: 'deriving',
  commit: 'committing',
};

export interface PhasedWarehouse {
  warehouse: Warehouse;
  /** Pass to loadFolder's onProgress, so operations are counted in the right phase. */
  onProgress(progress: LoadProgress): void;
  /** Operations (queries and COPYs) completed inside the load's transaction, per phase. */
  operations(): Record<LoadPhase, number>;
}

/**
 * Wraps a warehouse so that every operation of a load's transaction is counted by phase, and
 * `afterOperation(phase, count)` runs once each has completed: the hook where a test stops a
 * load at an exact point (the server then holds the transaction's work so far, uncommitted).
 */
export function phasedWarehouse(
  warehouse: Warehouse,
  afterOperation: (phase: LoadPhase, count: number) => void = () => {},
): PhasedWarehouse {
  let phase: LoadPhase = 'staging';
  const counts: Record<LoadPhase, number> = { staging: 0, upserting: 0, deriving: 0, committing: 0 };
  const done = () => {
    counts[phase] += 1;
    afterOperation(phase, counts[phase]);
  };
  const wrap = (session: BulkSession, inTransaction: boolean): BulkSession => ({
    async query<Row>(text: string, params?: unknown[]) {
      const rows = await session.query<Row>(text, params);
      if (inTransaction) done();
      return rows;
    },
    async copyCsv(table, columns, lines) {
      await session.copyCsv(table, columns, lines);
      if (inTransaction) done();
    },
    transaction: (work) =>
      session.transaction((tx) => {
        phase = 'staging';
        return work(wrap(tx, true));
      }),
    release: (error) => session.release(error),
  });
  return {
    warehouse: { ...warehouse, openBulkSession: async () => wrap(await warehouse.openBulkSession(), false) },
    onProgress(progress) {
      phase = PHASE_OF_PROGRESS[progress.phase] ?? phase;
    },
    operations: () => ({ ...counts }),
  };
}
