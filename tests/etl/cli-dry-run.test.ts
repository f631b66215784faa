import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openWarehouse, type Warehouse } from '../../db/connection';
import { adminQuery, backends } from '../support/database';
import { fixture, TEST_PSEUDONYM_KEY } from '../support/load-helpers';
import { runTsx } from '../support/run-tsx';

/**
 * `npm run etl -- load <folder> --dry-run` changes nothing, the schema included: on a warehouse
 * whose schema is behind (here: never migrated) it stops with a message saying so and how to
 * migrate, and leaves the database without a table; once migrated, the same dry run checks the
 * files and writes nothing but its run record. Listing runs only reads, so it is held to the same.
 */
/** The ETL or the migrator as a user runs them: no DATABASE_URL (embedded) unless `env` gives one. */
function runNode(args: string[], env: Record<string, string>) {
  return runTsx(args, { DATABASE_URL: '', PSEUDONYM_KEY: TEST_PSEUDONYM_KEY, ...env });
}

describe.each(backends)('etl load --dry-run on %s', (kind) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  const open = (): Promise<Warehouse> =>
    openWarehouse({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR ?? '', poolMax: 1 });

  beforeAll(async () => {
    if (kind === 'embedded') {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'dry-run-'));
      env = { DATA_DIR: dataDir };
      cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
    } else {
      const serverUrl = process.env.DATABASE_URL!;
      const name = `therapy_outcomes_test_dry_${process.pid}`;
      await adminQuery(serverUrl, `create database ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      env = { DATABASE_URL: url.toString() };
      cleanup = () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    }
  });
  afterAll(async () => cleanup?.());

  async function publicTables(): Promise<string[]> {
    const warehouse = await open();
    try {
      const { rows } = await sql<{ name: string }>`
        select table_name as name from information_schema.tables where table_schema = 'public' order by 1`.execute(
        warehouse.db,
      );
      return rows.map((row) => row.name);
    } finally {
      await warehouse.close();
    }
  }

  test('behind schema: refused with a message, nothing migrated or written', async () => {
    const { code, output } = await runNode(['etl/cli.ts', 'load', fixture('good/minimal'), '--dry-run'], env);
    expect(output).toMatch(/dry run/);
    expect(output).toMatch(/schema is behind/);
    expect(output).toMatch(/npm run db:migrate/);
    expect(code).toBe(1);
    expect(await publicTables()).toEqual([]);
  });

  test('behind schema: listing runs is refused the same way, and migrates nothing either', async () => {
    const { code, output } = await runNode(['etl/cli.ts', 'runs'], env);
    expect(output).toMatch(/^runs: the warehouse schema is behind/m);
    expect(output).toMatch(/npm run db:migrate/);
    expect(code).toBe(1);
    expect(await publicTables()).toEqual([]);
  });

  test('once migrated, the dry run checks the files and writes only its run record', async () => {
    const migrated = await runNode(['db/migrate.ts'], env);
    expect(migrated.code).toBe(0);
    const { code, output } = await runNode(['etl/cli.ts', 'load', fixture('good/minimal'), '--dry-run'], env);
    expect(output).toMatch(/checked, nothing written/);
    // Its counts are what a load would write, and say so: nothing was loaded.
    expect(output).toMatch(/│ would load │/);
    expect(output).not.toMatch(/│ loaded/);
    expect(code).toBe(0);
    const warehouse = await open();
    try {
      const { rows } = await sql<{ episodes: number; runs: number }>`
        select (select count(*)::int from episode) as episodes, (select count(*)::int from etl_run where dry_run) as runs`.execute(
        warehouse.db,
      );
      expect(rows).toEqual([{ episodes: 0, runs: 1 }]);
    } finally {
      await warehouse.close();
    }
  });

  test('the terminal names a rejected cell by file, line and column, and shows its value only masked', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'dry-run-dob-'));
    try {
      cpSync(fixture('good/minimal'), folder, { recursive: true });
      const episodes = readFileSync(path.join(folder, 'episodes.csv'), 'utf8');
      writeFileSync(path.join(folder, 'episodes.csv'), episodes.replace('2024-02', '17/03/1984'));
      const load = await runNode(['etl/cli.ts', 'load', folder, '--dry-run', '--max-reject-rate', '1'], env);
      expect(load.code).toBe(0);
      expect(load.output).toContain('episodes.csv:3 column start_month: must be a month YYYY-MM');
      expect(load.output).not.toContain('1984');
      const runId = /dry run (\d+) of/.exec(load.output)?.[1];
      expect(runId).toBeDefined();
      const runs = await runNode(['etl/cli.ts', 'runs', '--run', runId!], env);
      expect(runs.code).toBe(0);
      expect(runs.output).toContain('99/99/9999 (10 characters)');
      expect(runs.output).not.toContain('1984');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a refusal for one file shows the rejected rows of that file first', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'dry-run-roster-'));
    try {
      cpSync(fixture('good/minimal'), folder, { recursive: true });
      const episodes = readFileSync(path.join(folder, 'episodes.csv'), 'utf8');
      // EP-003 (line 4) with an unknown modality, so its 4 scores are rejected too: under 30% of each file.
      writeFileSync(path.join(folder, 'episodes.csv'), episodes.replace(',IPSRT,', ',Gestalt,'));
      // One of two clinicians with an FTE of 0 (line 3): 50% of the roster, over 30%.
      writeFileSync(
        path.join(folder, 'clinicians.csv'),
        'clinician_id,location,modalities,fte\nDR-01,Evanston,IPT,1.0\nDR-02,Online,CBT,0\n',
      );
      const load = await runNode(
        ['etl/cli.ts', 'load', folder, '--dry-run', '--max-reject-rate', '0.3', '--show', '1'],
        env,
      );
      expect(load.code, load.output).toBe(1);
      expect(load.output).toContain('refused: clinicians.csv: 50.0% of rows rejected (1 of 2)');
      expect(load.output).toContain('6 rejected rows (first 1;');
      expect(load.output).toContain('  clinicians.csv:3 column fte: must be a number greater than 0');
      expect(load.output).not.toContain('episodes.csv:4');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('runs --run says how many rows a run rejected when it lists fewer, and refuses a run that does not exist', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'dry-run-three-'));
    try {
      cpSync(fixture('good/minimal'), folder, { recursive: true });
      const measures = readFileSync(path.join(folder, 'measures.csv'), 'utf8');
      // The scores on lines 2, 3 and 4 (EP-001's PHQ-9 at sessions 0, 6 and 12) not numbers.
      writeFileSync(
        path.join(folder, 'measures.csv'),
        measures
          .replace('EP-001,0,PHQ-9,18', 'EP-001,0,PHQ-9,x')
          .replace('EP-001,6,PHQ-9,11', 'EP-001,6,PHQ-9,x')
          .replace('EP-001,12,PHQ-9,6', 'EP-001,12,PHQ-9,x'),
      );
      const load = await runNode(['etl/cli.ts', 'load', folder, '--dry-run', '--max-reject-rate', '1'], env);
      expect(load.code, load.output).toBe(0);
      const runId = /dry run (\d+) of/.exec(load.output)![1]!;
      const runs = await runNode(['etl/cli.ts', 'runs', '--run', runId, '--limit', '2'], env);
      expect(runs.code, runs.output).toBe(0);
      expect(runs.output).toContain(`run ${runId}: 3 rejected rows, the first 2 shown (--limit 3 shows them all)`);
      expect(runs.output.match(/'score'/g)).toHaveLength(2);

      const missing = await runNode(['etl/cli.ts', 'runs', '--run', '9999'], env);
      expect(missing.code).toBe(1);
      expect(missing.output).toContain('runs: there is no run 9999');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
