import path from 'node:path';
import { z } from 'zod';

/**
 * Where the warehouse lives, read once from the environment. With DATABASE_URL the warehouse is
 * a real Postgres server; without it, embedded Postgres (PGlite) persisted in DATA_DIR.
 */
const DatabaseEnv = z.object({
  DATABASE_URL: z
    .string()
    .url({ message: 'DATABASE_URL must be a postgres:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  DATABASE_POOL_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(5_000),
});

export interface DatabaseConfig {
  /** Real Postgres when set; embedded otherwise. */
  databaseUrl: string | undefined;
  /** Folder for the embedded database and its generated pseudonym key. */
  dataDir: string;
  poolMax: number;
  /**
   * How long a query waits for a free pool connection before it fails (and a page answers 503).
   * More concurrent requests than connections queue for at most this long. Default 5000 ms.
   */
  poolTimeoutMs?: number;
}

export function readDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const parsed = DatabaseEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid environment: ${issue.path.join('.')}: ${issue.message}`);
  }
  return {
    databaseUrl: parsed.data.DATABASE_URL,
    dataDir: path.resolve(parsed.data.DATA_DIR),
    poolMax: parsed.data.DATABASE_POOL_MAX,
    poolTimeoutMs: parsed.data.DATABASE_POOL_TIMEOUT_MS,
  };
}

export function embeddedDatabaseDir(config: DatabaseConfig): string {
  return path.join(config.dataDir, 'pglite');
}
