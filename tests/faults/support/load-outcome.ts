import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import type { BulkSession, Warehouse } from '../../../db/connection';
import { LoadRefused, type LoadResult } from '../../../etl/load/types';

export type LoadOutcome = { refused: LoadRefused; result?: never } | { result: LoadResult; refused?: never };

/**
 * What a load of malformed input may end in: a refusal, or a result (with rejections). Anything
 * else it throws (a TypeError, an SQL error) is a crash of the loader, and fails the test.
 */
export async function outcomeOf(loading: Promise<LoadResult>): Promise<LoadOutcome> {
  try {
    return { result: await loading };
  } catch (error) {
    if (error instanceof LoadRefused) return { refused: error };
    throw error;
  }
}

/** A result's own arithmetic: every row read is loaded or rejected, and each rejection is listed. */
export function expectConsistentResult(result: LoadResult): void {
  for (const file of result.files) {
    expect(file.read, file.file).toBe(file.loaded + file.rejected);
    expect(file.loaded, file.file).toBeGreaterThanOrEqual(0);
    expect(result.rejections.filter((rejection) => rejection.file === file.file)).toHaveLength(file.rejected);
  }
  // Line 1 is the header; a rejected row starts on line 2 or later.
  for (const rejection of result.rejections) expect(rejection.line).toBeGreaterThanOrEqual(2);
}

/**
 * A warehouse with no database behind it, for running the loader's reading and checking over
 * thousands of inputs in a dry run: the lock is always free, the run is number 1, the warehouse is
 * empty, and COPY input is parsed back and checked to have one field per staging column (what
 * the server would insist on).
 */
export function databaselessWarehouse(): Warehouse {
  const session: BulkSession = {
    async query<Row>(text: string) {
      if (text.includes('pg_try_advisory_lock')) return [{ locked: true }] as Row[];
      if (/insert into etl_run \(/.test(text)) return [{ id: 1 }] as Row[];
      return [] as Row[];
    },
    async copyCsv(table, columns, lines) {
      let text = '';
      for await (const line of lines) text += line;
      const records = parse(text, { relax_column_count: true }) as string[][];
      for (const record of records) {
        if (record.length !== columns.length)
          throw new Error(`COPY into ${table}: a line with ${record.length} fields for ${columns.length} columns`);
      }
    },
    transaction: (work) => work(session),
    async release() {},
  };
  return {
    db: undefined as never,
    kind: 'embedded',
    openBulkSession: async () => session,
    close: async () => {},
  };
}
