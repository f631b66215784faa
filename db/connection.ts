import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type DatabaseConfig, embeddedDatabaseDir, readDatabaseConfig } from './config';
import { lockDataFolder } from './data-folder-lock';
import type { Database } from './schema';

/**
 * The one connection factory. Everything (app, ETL, CLIs, tests) opens the warehouse here, so
 * there is one code path for real Postgres and for the embedded default.
 */
export interface Warehouse {
  db: Kysely<Database>;
  kind: 'postgres' | 'embedded';
  /** A dedicated connection for bulk work: COPY, session locks and one explicit transaction. */
  openBulkSession(): Promise<BulkSession>;
  close(): Promise<void>;
}

export interface BulkSession {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Streams CSV lines (each ending in \n) into `table` with COPY ... FROM in CSV format. */
  copyCsv(table: string, columns: readonly string[], lines: AsyncIterable<string>): Promise<void>;
  /** Runs `work` in one transaction on this connection: all of it commits, or none. */
  transaction<T>(work: (tx: BulkSession) => Promise<T>): Promise<T>;
  /** Returns the connection; given an error, closes it instead (it may hold a lock or a broken state). */
  release(error?: unknown): Promise<void>;
  /**
   * Asks the server to stop the statement this session is running, if any (it then fails with
   * "canceling statement due to user request"). The real server only: embedded Postgres runs
   * inside this process and can only be stopped between statements.
   */
  cancel?(): Promise<void>;
}

// int8 (counts, sums) and numeric come back as numbers, on both drivers. Counts stay far below
// 2^53, and every figure is a proportion or mean, where float precision is ample.
const INT8 = 20;
const NUMERIC = 1700;
const numberParsers = { [INT8]: Number, [NUMERIC]: Number } as const;

export async function openWarehouse(config: DatabaseConfig = readDatabaseConfig()): Promise<Warehouse> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl, config.poolMax, config.poolTimeoutMs ?? DEFAULT_POOL_TIMEOUT_MS)
    : openEmbedded(embeddedDatabaseDir(config));
}

/** See DatabaseConfig.poolTimeoutMs (DATABASE_POOL_TIMEOUT_MS). */
export const DEFAULT_POOL_TIMEOUT_MS = 5_000;

function openPostgres(connectionString: string, max: number, connectionTimeoutMillis: number): Warehouse {
  const pool = new pg.Pool({
    connectionString,
    max,
    // Requests beyond `max` queue for a connection; past this wait node-postgres fails the query
    // with "timeout exceeded when trying to connect", which askWarehouse answers with a 503. The
    // same bound applies to connecting to a server that does not answer at all.
    connectionTimeoutMillis,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid in numberParsers
          ? numberParsers[oid as keyof typeof numberParsers]
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server must not take the process down with it.
  pool.on('error', (error) => console.error('warehouse: idle connection error:', error.message));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    async openBulkSession() {
      const client = await pool.connect();
      const [backend] = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
      return postgresSession(client, async () => {
        // A cancel request goes over a connection of its own: this session's is busy.
        const canceller = new pg.Client({ connectionString, connectionTimeoutMillis });
        await canceller.connect();
        try {
          await canceller.query('select pg_cancel_backend($1)', [backend!.pid]);
        } finally {
          await canceller.end();
        }
      });
    },
    close: () => db.destroy(),
  };
}

function postgresSession(client: pg.PoolClient, cancel: () => Promise<void>): BulkSession {
  const session: BulkSession = {
    cancel,
    async query<Row>(text: string, params: unknown[] = []) {
      return (await client.query(text, params)).rows as Row[];
    },
    async copyCsv(table, columns, lines) {
      const copy = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`));
      await pipeline(Readable.from(batched(lines)), copy);
    },
    async transaction(work) {
      await client.query('begin');
      try {
        const result = await work(session);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      }
    },
    async release(error?: unknown) {
      client.release(error === undefined ? undefined : error instanceof Error ? error : new Error(String(error)));
    },
  };
  return session;
}

async function openEmbedded(dataDir: string): Promise<Warehouse> {
  mkdirSync(dataDir, { recursive: true });
  // Refused with a clear message while another process has the folder open (data-folder-lock.ts).
  const unlock = await lockDataFolder(dataDir);
  try {
    // Imported here, not at the top: a process on a real server (every load, the app) would
    // otherwise pay about half a second at start-up to load embedded Postgres it never uses.
    const { PGlite } = await import('@electric-sql/pglite');
    const warehouse = warehouseFromPGlite(await PGlite.create(dataDir, embeddedOptions));
    return {
      ...warehouse,
      async close() {
        try {
          await warehouse.close();
        } finally {
          await unlock();
        }
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}

/** PGlite options every embedded warehouse uses; tests add `loadDataDir` to start from a template. */
export const embeddedOptions = { parsers: numberParsers };

export function warehouseFromPGlite(pglite: PGlite): Warehouse {
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    kind: 'embedded',
    async openBulkSession() {
      return pgliteSession(pglite);
    },
    // Kysely's PGlite driver closes the PGlite instance when the Kysely instance is destroyed.
    close: () => db.destroy(),
  };
}

type PGliteQueryable = Pick<PGlite, 'query'> | PGliteTransaction;

/** Embedded Postgres has no COPY FROM STDIN; it reads COPY input from a Blob instead. */
function pgliteSession(pglite: PGlite, queryable: PGliteQueryable = pglite): BulkSession {
  return {
    async query<Row>(text: string, params: unknown[] = []) {
      return (await queryable.query<Row>(text, params)).rows;
    },
    async copyCsv(table, columns, lines) {
      const statement = `copy ${table} (${columns.join(', ')}) from '/dev/blob' with (format csv)`;
      let parts: string[] = [];
      let size = 0;
      for await (const line of lines) {
        parts.push(line);
        size += line.length;
        if (size >= PGLITE_COPY_BATCH_CHARS) {
          await queryable.query(statement, [], { blob: new Blob(parts) });
          parts = [];
          size = 0;
        }
      }
      if (parts.length > 0) await queryable.query(statement, [], { blob: new Blob(parts) });
    },
    async transaction(work) {
      // PGlite's transaction holds its mutex, so nothing else interleaves with the load.
      return pglite.transaction((tx) => work(pgliteSession(pglite, tx)));
    },
    async release() {},
  };
}

const PGLITE_COPY_BATCH_CHARS = 4 * 1024 * 1024;
const PG_COPY_CHUNK_CHARS = 256 * 1024;

/** Joins many short lines into fewer, larger chunks: one stream write per line is slow. */
async function* batched(lines: AsyncIterable<string>): AsyncIterable<string> {
  let buffer = '';
  for await (const line of lines) {
    buffer += line;
    if (buffer.length >= PG_COPY_CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
