import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { assertProductionSecrets, readSecurityConfig } from '../../app/utils/security-config.server';

/** Secrets come from the environment; only the embedded demo may make its own, beside the data. */
const dataDir = mkdtempSync(path.join(tmpdir(), 'security-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('session secret and settings', () => {
  test('NODE_ENV=production without SESSION_SECRET or PSEUDONYM_KEY refuses to start, naming what is missing', () => {
    expect(() => assertProductionSecrets({ NODE_ENV: 'production' })).toThrow(
      'NODE_ENV=production needs SESSION_SECRET and PSEUDONYM_KEY in the environment',
    );
    expect(() => assertProductionSecrets({ SESSION_SECRET: 's'.repeat(32) })).toThrow(/needs PSEUDONYM_KEY/);
    expect(() =>
      assertProductionSecrets({ SESSION_SECRET: 's'.repeat(32), PSEUDONYM_KEY: 'k'.repeat(32) }),
    ).not.toThrow();
  });

  test('with DATABASE_URL the secret is required; a short one is refused', () => {
    const databaseConfig = { databaseUrl: 'postgres://x@h/db', dataDir, poolMax: 1 };
    expect(() => readSecurityConfig({ databaseConfig, env: {} })).toThrow(
      /SESSION_SECRET is required with DATABASE_URL/,
    );
    expect(() => readSecurityConfig({ databaseConfig, env: { SESSION_SECRET: 'short' } })).toThrow(/at least 32/);
    const config = readSecurityConfig({
      databaseConfig,
      env: { SESSION_SECRET: `${'n'.repeat(32)},${'o'.repeat(32)}`, SESSION_IDLE_MINUTES: '15' },
    });
    expect(config).toEqual({
      sessionSecrets: ['n'.repeat(32), 'o'.repeat(32)],
      sessionIdleMinutes: 15,
      sessionMaxHours: 12,
    });
  });

  test('embedded without a secret: one is made once, kept private beside the data, with a warning', () => {
    const databaseConfig = { databaseUrl: undefined, dataDir, poolMax: 1 };
    const warnings: string[] = [];
    const first = readSecurityConfig({ databaseConfig, env: {}, log: (message) => warnings.push(message) });
    const second = readSecurityConfig({ databaseConfig, env: {}, log: (message) => warnings.push(message) });
    expect(first.sessionSecrets).toEqual(second.sessionSecrets);
    expect(first.sessionSecrets[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(path.join(dataDir, 'session.secret'), 'utf8').trim()).toBe(first.sessionSecrets[0]);
    expect(statSync(path.join(dataDir, 'session.secret')).mode & 0o777).toBe(0o600);
    expect(warnings).toHaveLength(1);
    expect(first.sessionIdleMinutes).toBe(30);
  });
});
