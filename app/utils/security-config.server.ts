import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { DatabaseConfig } from '../../db/config';

/** Process-wide sign-in settings, read once at start-up (app/server) and handed to every request. */
export interface SecurityConfig {
  /** The first signs session cookies; all of them verify (so a secret can be rotated). */
  sessionSecrets: string[];
  /** A session unused for this long ends (SESSION_IDLE_MINUTES). */
  sessionIdleMinutes: number;
  /** A session ends this long after sign-in, however active (SESSION_MAX_HOURS). */
  sessionMaxHours: number;
}

const MIN_SECRET_LENGTH = 32;

const SecurityEnv = z.object({
  SESSION_SECRET: z
    .string()
    .optional()
    .transform((raw) =>
      (raw ?? '')
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .refine((secrets) => secrets.every((secret) => secret.length >= MIN_SECRET_LENGTH), {
      message: `each secret must be at least ${MIN_SECRET_LENGTH} characters (openssl rand -hex 32)`,
    }),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
});

function parseEnv(env: NodeJS.ProcessEnv) {
  const parsed = SecurityEnv.safeParse({
    SESSION_SECRET: env.SESSION_SECRET || undefined,
    SESSION_IDLE_MINUTES: env.SESSION_IDLE_MINUTES || undefined,
    SESSION_MAX_HOURS: env.SESSION_MAX_HOURS || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid environment: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * In production (NODE_ENV=production set by whoever runs the app) both secrets must come from the
 * environment: a secret generated beside the data is a convenience for a first run, not for real use.
 */
export function assertProductionSecrets(env: NodeJS.ProcessEnv = process.env): void {
  const missing = ['SESSION_SECRET', 'PSEUDONYM_KEY'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `NODE_ENV=production needs ${missing.join(' and ')} in the environment (generate each with: openssl rand -hex 32)`,
    );
  }
}

/**
 * With a real database the session secret must come from SESSION_SECRET. On the embedded default
 * a random one is made once and kept beside the data (like the pseudonym key), so a first run
 * needs no setup; said out loud, since whoever reads the folder can forge sessions.
 */
export function readSecurityConfig({
  databaseConfig,
  env = process.env,
  log = (message) => console.warn(message),
}: {
  databaseConfig: DatabaseConfig;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
}): SecurityConfig {
  const parsed = parseEnv(env);
  const settings = { sessionIdleMinutes: parsed.SESSION_IDLE_MINUTES, sessionMaxHours: parsed.SESSION_MAX_HOURS };
  if (parsed.SESSION_SECRET.length > 0) return { sessionSecrets: parsed.SESSION_SECRET, ...settings };
  if (databaseConfig.databaseUrl) {
    throw new Error('SESSION_SECRET is required with DATABASE_URL (generate one with: openssl rand -hex 32)');
  }
  const secretFile = path.join(databaseConfig.dataDir, 'session.secret');
  if (existsSync(secretFile)) return { sessionSecrets: [readFileSync(secretFile, 'utf8').trim()], ...settings };
  mkdirSync(databaseConfig.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  log(
    `warning: SESSION_SECRET is not set; made a random one for the embedded warehouse in ${secretFile}. Set SESSION_SECRET for real use.`,
  );
  return { sessionSecrets: [secret], ...settings };
}

let ephemeral: SecurityConfig | undefined;

/**
 * For a request whose load context carries no SecurityConfig (a test calling a loader directly, or
 * a server started without one): SESSION_SECRET if set, else a random secret for this process only.
 */
export function fallbackSecurityConfig(env: NodeJS.ProcessEnv = process.env): SecurityConfig {
  if (ephemeral) return ephemeral;
  const parsed = parseEnv(env);
  ephemeral = {
    sessionSecrets: parsed.SESSION_SECRET.length > 0 ? parsed.SESSION_SECRET : [randomBytes(32).toString('hex')],
    sessionIdleMinutes: parsed.SESSION_IDLE_MINUTES,
    sessionMaxHours: parsed.SESSION_MAX_HOURS,
  };
  return ephemeral;
}
