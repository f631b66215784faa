import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import {
  DATA_TABLES,
  emptyWarehouse,
  fileFacts,
  fixture,
  FIXTURE_SOURCE_ID,
  load,
  runRecord,
  storedText,
  warehouseCounts,
} from '../support/load-helpers';

/**
 * A valid folder loads whole, de-identified and normalised (issue 2, "The data contract" and "The
 * database"). Every expected value below is read off tests/fixtures/good/* by hand; modality is
 * unique per episode in each fixture, so it names the episode without its (hashed) id.
 */

interface StoredEpisode {
  modality: string;
  location: string;
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
}

async function storedEpisodes(warehouse: TestWarehouse): Promise<StoredEpisode[]> {
  return warehouse.db
    .selectFrom('episode')
    .select([
      'modality',
      'location',
      'diagnosis_code',
      'condition',
      'problem_area',
      'age_band',
      'start_month',
      'end_month',
      'end_reason',
      'sessions_attended',
      'sessions_missed',
      'wait_days',
      'delivery',
    ])
    .orderBy('modality')
    .execute();
}

/** Scores as "modality instrument session: score/item9", sorted. */
async function storedScores(warehouse: TestWarehouse): Promise<string[]> {
  const rows = await warehouse.db
    .selectFrom('measure')
    .innerJoin('episode', 'episode.episode_key', 'measure.episode_key')
    .select(['episode.modality', 'measure.instrument', 'measure.session_number', 'measure.score', 'measure.item9'])
    .execute();
  return rows
    .map((row) => `${row.modality} ${row.instrument} ${row.session_number}: ${row.score}/${row.item9 ?? '-'}`)
    .sort();
}

describe.each(backends)('a good folder on %s', (kind) => {
  let warehouse: TestWarehouse;
  beforeAll(async () => {
    warehouse = await freshWarehouse(kind);
  });
  afterAll(async () => {
    await warehouse?.dispose();
  });
  beforeEach(async () => {
    await emptyWarehouse(warehouse.db);
  });

  test('good/minimal loads every row, with ages as bands and ids only as pseudonyms', async () => {
    const folder = fixture('good/minimal');
    const result = await load(warehouse, folder);

    expect(result).toMatchObject({ dryRun: false, rejections: [], warnings: [], episodesDerived: 4 });
    expect(result.files).toEqual([
      { file: 'episodes.csv', ...fileFacts(folder, 'episodes.csv'), read: 4, loaded: 4, rejected: 0 },
      { file: 'measures.csv', ...fileFacts(folder, 'measures.csv'), read: 17, loaded: 17, rejected: 0 },
    ]);
    const record = await runRecord(warehouse.db, result.runId);
    expect(record.run).toMatchObject({ status: 'succeeded', dry_run: false, source: 'minimal' });
    expect(record.run.finished_at).not.toBeNull();
    expect(record.rejections).toEqual([]);
    expect(record.files.map((file) => [file.file_name, file.rows_read, file.rows_loaded, file.rows_rejected])).toEqual([
      ['episodes.csv', 4, 4, 0],
      ['measures.csv', 17, 17, 0],
    ]);

    expect(await storedEpisodes(warehouse)).toEqual([
      {
        modality: 'CBT',
        location: 'Online',
        diagnosis_code: 'F41.1',
        condition: 'anxiety',
        problem_area: null,
        age_band: '55-64',
        start_month: '2024-02',
        end_month: '2024-04',
        end_reason: 'dropped_out',
        sessions_attended: 3,
        sessions_missed: 2,
        wait_days: 7,
        delivery: 'telehealth',
      },
      {
        modality: 'DIT',
        location: 'Skokie',
        diagnosis_code: 'F43.21',
        condition: 'grief_adjustment',
        problem_area: 'role_transition',
        age_band: null,
        start_month: '2024-03',
        end_month: '2024-06',
        end_reason: 'completed',
        sessions_attended: 8,
        sessions_missed: null,
        wait_days: null,
        delivery: null,
      },
      {
        modality: 'IPSRT',
        location: 'Evanston',
        diagnosis_code: 'F31.81',
        condition: 'bipolar',
        problem_area: null,
        age_band: '90+',
        start_month: '2024-03',
        end_month: null,
        end_reason: null,
        sessions_attended: 6,
        sessions_missed: 0,
        wait_days: 21,
        delivery: 'mixed',
      },
      {
        modality: 'IPT',
        location: 'Evanston',
        diagnosis_code: 'F33.1',
        condition: 'depression',
        problem_area: 'grief',
        age_band: '25-34',
        start_month: '2024-01',
        end_month: '2024-05',
        end_reason: 'completed',
        sessions_attended: 12,
        sessions_missed: 1,
        wait_days: 14,
        delivery: 'in_person',
      },
    ]);
    expect(await storedScores(warehouse)).toEqual(
      [
        'IPT PHQ-9 0: 18/1',
        'IPT PHQ-9 6: 11/0',
        'IPT PHQ-9 12: 6/0',
        'IPT GAD-7 0: 12/-',
        'IPT GAD-7 12: 5/-',
        'CBT PHQ-9 0: 15/2',
        'CBT PHQ-9 3: 14/1',
        'CBT GAD-7 0: 9/-',
        'CBT GAD-7 3: 10/-',
        'IPSRT PHQ-9 0: 9/0',
        'IPSRT PHQ-9 6: 7/0',
        'IPSRT GAD-7 0: 10/-',
        'IPSRT GAD-7 6: 6/-',
        'DIT PHQ-9 1: 12/0',
        'DIT PHQ-9 8: 4/0',
        'DIT GAD-7 1: 8/-',
        'DIT GAD-7 8: 3/-',
      ].sort(),
    );

    // Pseudonyms: 64 hex; the same source id gives the same key (CL-001 twice, DR-01 twice).
    const keys = await warehouse.db
      .selectFrom('episode')
      .select(['modality', 'episode_key', 'client_key', 'clinician_key'])
      .orderBy('modality')
      .execute();
    for (const key of keys) {
      expect(key.episode_key).toMatch(/^[0-9a-f]{64}$/);
      expect(key.client_key).toMatch(/^[0-9a-f]{64}$/);
      if (key.clinician_key !== null) expect(key.clinician_key).toMatch(/^[0-9a-f]{64}$/);
    }
    const [cbt, dit, ipsrt, ipt] = keys;
    expect(new Set(keys.map((key) => key.episode_key)).size).toBe(4);
    expect(new Set(keys.map((key) => key.client_key)).size).toBe(3);
    expect(ipt!.client_key).toBe(dit!.client_key);
    expect(ipt!.clinician_key).toBe(ipsrt!.clinician_key);
    expect(cbt!.clinician_key).not.toBe(ipt!.clinician_key);
    expect(dit!.clinician_key).toBeNull();
    // An episode id and a client id are different things even when pseudonymised.
    expect(keys.map((key) => key.episode_key)).not.toContain(ipt!.client_key);
    expect(await storedText(warehouse.db)).not.toMatch(FIXTURE_SOURCE_ID);

    // No column can hold an exact age or a birth date.
    const { rows: ageColumns } = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_schema = current_schema() and column_name in ('age', 'dob', 'date_of_birth', 'birth_date')`.execute(
      warehouse.db,
    );
    expect(ageColumns).toEqual([]);
  });

  test('a load reports each of its phases as it begins, the in-load checks included', async () => {
    const phases: string[] = [];
    await load(warehouse, fixture('good/minimal'), {
      onProgress: (progress) => {
        if (phases.at(-1) !== progress.phase) phases.push(progress.phase);
      },
    });
    expect(phases).toEqual(['read', 'check', 'upsert', 'derive', 'commit']);
  });

  test('good/minimal gets outcome facts per episode and instrument, derived from its scores (METRICS.md)', async () => {
    await load(warehouse, fixture('good/minimal'));
    // One row per episode and instrument: PHQ-9, GAD-7 and combined (every episode has both).
    expect(await warehouseCounts(warehouse.db)).toMatchObject({
      episodes: 4,
      measures: 17,
      outcomeRows: 12,
      outcomeEpisodes: 4,
    });
    const rows = await warehouse.db
      .selectFrom('episode_outcome')
      .select([
        'modality',
        'instrument',
        'condition',
        'length_band',
        'scores',
        'baseline',
        'final',
        'baseline_session',
        'last_session',
        'paired',
        'finished',
        'outcome_cohort',
      ])
      .where('instrument', 'in', ['PHQ-9', 'GAD-7'])
      .orderBy('instrument', 'desc')
      .orderBy('modality')
      .execute();
    // Baseline = first score by session, final = last; finished = ended with >= 2 attended sessions.
    expect(rows).toEqual([
      {
        modality: 'CBT',
        instrument: 'PHQ-9',
        condition: 'anxiety',
        length_band: '1-4',
        scores: 2,
        baseline: 15,
        final: 14,
        baseline_session: 0,
        last_session: 3,
        paired: true,
        finished: true,
        outcome_cohort: true,
      },
      {
        modality: 'DIT',
        instrument: 'PHQ-9',
        condition: 'grief_adjustment',
        length_band: '5-8',
        scores: 2,
        baseline: 12,
        final: 4,
        baseline_session: 1,
        last_session: 8,
        paired: true,
        finished: true,
        outcome_cohort: true,
      },
      {
        modality: 'IPSRT',
        instrument: 'PHQ-9',
        condition: 'bipolar',
        length_band: '5-8',
        scores: 2,
        baseline: 9,
        final: 7,
        baseline_session: 0,
        last_session: 6,
        paired: true,
        finished: false,
        outcome_cohort: false,
      },
      {
        modality: 'IPT',
        instrument: 'PHQ-9',
        condition: 'depression',
        length_band: '9-12',
        scores: 3,
        baseline: 18,
        final: 6,
        baseline_session: 0,
        last_session: 12,
        paired: true,
        finished: true,
        outcome_cohort: true,
      },
      {
        modality: 'CBT',
        instrument: 'GAD-7',
        condition: 'anxiety',
        length_band: '1-4',
        scores: 2,
        baseline: 9,
        final: 10,
        baseline_session: 0,
        last_session: 3,
        paired: true,
        finished: true,
        outcome_cohort: true,
      },
      {
        modality: 'DIT',
        instrument: 'GAD-7',
        condition: 'grief_adjustment',
        length_band: '5-8',
        scores: 2,
        baseline: 8,
        final: 3,
        baseline_session: 1,
        last_session: 8,
        paired: true,
        finished: true,
        outcome_cohort: true,
      },
      {
        modality: 'IPSRT',
        instrument: 'GAD-7',
        condition: 'bipolar',
        length_band: '5-8',
        scores: 2,
        baseline: 10,
        final: 6,
        baseline_session: 0,
        last_session: 6,
        paired: true,
        finished: false,
        outcome_cohort: false,
      },
      {
        modality: 'IPT',
        instrument: 'GAD-7',
        condition: 'depression',
        length_band: '9-12',
        scores: 2,
        baseline: 12,
        final: 5,
        baseline_session: 0,
        last_session: 12,
        paired: true,
        finished: true,
        outcome_cohort: true,
      },
    ]);
  });

  test('spelled-out modalities, LOINC codes, full dates and any header case or column order are accepted and normalised', async () => {
    const result = await load(warehouse, fixture('good/alternative-spellings'));
    expect(result.rejections).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.files.map(({ file, read, loaded }) => [file, read, loaded])).toEqual([
      ['episodes.csv', 4, 4],
      ['measures.csv', 6, 6],
    ]);
    const episodes = await storedEpisodes(warehouse);
    expect(
      episodes.map(
        ({ modality, location, diagnosis_code, start_month, end_month, end_reason, sessions_attended, age_band }) => ({
          modality,
          location,
          diagnosis_code,
          start_month,
          end_month,
          end_reason,
          sessions_attended,
          age_band,
        }),
      ),
    ).toEqual([
      {
        modality: 'CBT',
        location: 'Online',
        diagnosis_code: 'F41.1',
        start_month: '2024-01',
        end_month: null,
        end_reason: null,
        sessions_attended: 4,
        age_band: null,
      },
      {
        modality: 'DIT',
        location: 'Evanston',
        diagnosis_code: 'F43.21',
        start_month: '2023-12',
        end_month: '2024-01',
        end_reason: 'dropped_out',
        sessions_attended: 2,
        age_band: null,
      },
      {
        modality: 'IPSRT',
        location: 'Skokie',
        diagnosis_code: 'F31.81',
        start_month: '2024-02',
        end_month: '2024-05',
        end_reason: 'referred_on',
        sessions_attended: 7,
        age_band: '18-24',
      },
      {
        modality: 'IPT',
        location: 'Evanston',
        diagnosis_code: 'F33.1',
        start_month: '2024-03',
        end_month: '2024-06',
        end_reason: 'completed',
        sessions_attended: 10,
        age_band: '35-44',
      },
    ]);
    expect(await storedScores(warehouse)).toEqual(
      [
        'IPT PHQ-9 0: 16/-',
        'IPT PHQ-9 10: 8/-',
        'IPT GAD-7 0: 11/-',
        'IPT GAD-7 10: 6/-',
        'CBT PHQ-9 0: 12/-',
        'IPSRT GAD-7 0: 9/-',
      ].sort(),
    );
    // No date finer than a month is stored anywhere.
    expect(await storedText(warehouse.db, [...DATA_TABLES, 'etl_rejection'])).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(await storedText(warehouse.db)).not.toMatch(FIXTURE_SOURCE_ID);
  });
});
