import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseConfig } from '../db/config';

const MIN_KEY_LENGTH = 32;

/**
 * The secret behind every pseudonym. With a real database it must come from PSEUDONYM_KEY. On the
 * embedded default a random key is made once and kept beside the data, so a first run needs no
 * setup; that is fine for a demo and said out loud, since whoever reads the folder has the key.
 */
export function resolvePseudonymKey(
  config: DatabaseConfig,
  log: (message: string) => void = (message) => console.warn(message),
  env: NodeJS.ProcessEnv = process.env,
): string {
  const fromEnv = env.PSEUDONYM_KEY;
  if (fromEnv) {
    if (fromEnv.length < MIN_KEY_LENGTH) throw new Error(`PSEUDONYM_KEY must be at least ${MIN_KEY_LENGTH} characters`);
    return fromEnv;
  }
  if (config.databaseUrl) {
    throw new Error('PSEUDONYM_KEY is required with DATABASE_URL (generate one with: openssl rand -hex 32)');
  }
  const keyFile = path.join(config.dataDir, 'pseudonym.key');
  if (existsSync(keyFile)) return readFileSync(keyFile, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  log(
    `warning: PSEUDONYM_KEY is not set; made a random key for the embedded warehouse in ${keyFile}. Keep it with the data; set PSEUDONYM_KEY for real use.`,
  );
  return key;
}
