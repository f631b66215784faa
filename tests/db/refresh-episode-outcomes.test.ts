import type { Insertable, Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { refreshEpisodeOutcomes } from '../../db/load/refresh-episode-outcomes';
import { OUTCOME_INSTRUMENTS, type OutcomeInstrument } from '../../db/definitions';
import type { EpisodeOutcomeTable, EpisodeTable } from '../../db/schema';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';

/**
 * The per-episode outcome facts, derived from hand-inserted episodes and scores. Every expected
 * value below is worked by hand from ../shared/METRICS.md: PHQ-9 caseness >= 10, reliable change
 * 6; GAD-7 caseness >= 8, reliable change 4; remission < 5; response <= 50% of baseline;
 * finished = ended with >= 2 sessions; dropout counted among ended episodes with >= 1 session.
 */

type Outcome = Selectable<EpisodeOutcomeTable>;
/** A row's flags in words (see `flags`), then any other columns to check. */
type Expected = readonly [string, Partial<Outcome>?];

interface EpisodeCase {
  name: string;
  behaviour: string;
  episode?: Partial<Insertable<EpisodeTable>>;
  /** Scores as 'session:score' or 'session:score:item9', in the order they are inserted. */
  phq9?: string;
  gad7?: string;
  expected: Record<OutcomeInstrument, Expected>;
}

const RUN_ID = 1;
const key = (name: string) => name.padEnd(64, '-');

const FLAG_COLUMNS = {
  paired: 'paired',
  finished: 'finished',
  cohort: 'outcome_cohort',
  caseness: 'baseline_caseness',
  improved: 'reliable_improvement',
  deteriorated: 'reliable_deterioration',
  recovered: 'recovery',
  reliably_recovered: 'reliable_recovery',
  responded: 'response',
  remitted: 'remission',
  dropout: 'dropout',
} as const satisfies Record<string, keyof Outcome>;

/** Every flag of a row from a line of words: `cohort` is true, `!cohort` false, a flag not named is null. */
function flags(line: string): Partial<Outcome> {
  const expected: Record<string, boolean | null> = {};
  for (const column of Object.values(FLAG_COLUMNS)) expected[column] = null;
  for (const word of line.split(' ').filter(Boolean)) {
    const column = FLAG_COLUMNS[word.replace('!', '') as keyof typeof FLAG_COLUMNS];
    if (!column) throw new Error(`unknown flag "${word}"`);
    expected[column] = !word.startsWith('!');
  }
  return expected;
}

/** Ended (completed) with 10 sessions and paired: the outcome cohort. */
const COHORT = 'paired finished cohort !dropout';
/** At caseness, reliably improved and recovered. */
const IMPROVED_AND_RECOVERED = 'caseness improved !deteriorated recovered reliably_recovered';
const NO_SCORES: Partial<Outcome> = {
  scores: 0,
  baseline: null,
  final: null,
  baseline_session: null,
  last_session: null,
  improved_session: null,
  severity_band: null,
  max_item9: null,
};

/** Every dimension set, to check each is copied (other episodes take the defaults of insertFixtures). */
const COMPLETE_EPISODE: Partial<Insertable<EpisodeTable>> = {
  clinician_key: key('clinician-1'),
  location: 'Online',
  modality: 'CBT',
  diagnosis_code: 'F41.1',
  condition: 'anxiety',
  problem_area: 'role_dispute',
  age_band: '35-44',
  start_month: '2024-11',
  end_month: '2025-02',
  sessions_attended: 9,
  delivery: 'telehealth',
};

const CASES: readonly EpisodeCase[] = [
  {
    name: 'at-caseness',
    behaviour: 'baselines exactly at caseness (10, 8) count, a change of exactly 6 / 4 is reliable, 4 of 8 a response',
    episode: COMPLETE_EPISODE,
    phq9: '0:10 5:4',
    gad7: '0:8 5:4',
    expected: {
      'PHQ-9': [
        `${COHORT} ${IMPROVED_AND_RECOVERED} responded remitted`,
        { severity_band: 'moderate', improved_session: 5 },
      ],
      'GAD-7': [
        `${COHORT} ${IMPROVED_AND_RECOVERED} responded remitted`,
        { severity_band: 'mild', improved_session: 5 },
      ],
      combined: [`${COHORT} ${IMPROVED_AND_RECOVERED}`, { scores: 2 }],
    },
  },
  {
    name: 'below-caseness',
    behaviour: 'baselines one below caseness (9, 7) leave recovery, response and remission out of their denominator',
    phq9: '0:9 4:3',
    gad7: '0:7 4:3',
    expected: {
      'PHQ-9': [`${COHORT} !caseness improved !deteriorated`, { severity_band: 'mild' }],
      'GAD-7': [`${COHORT} !caseness improved !deteriorated`, { severity_band: 'mild' }],
      combined: [`${COHORT} !caseness improved !deteriorated`],
    },
  },
  {
    name: 'one-short',
    behaviour: 'a change one short of reliable (5 / 3) is no reliable improvement; a final at caseness no recovery',
    phq9: '0:15 3:10',
    gad7: '0:12 3:9',
    expected: {
      'PHQ-9': [
        `${COHORT} caseness !improved !deteriorated !recovered !reliably_recovered !responded !remitted`,
        { severity_band: 'moderately_severe', improved_session: null },
      ],
      'GAD-7': [
        `${COHORT} caseness !improved !deteriorated !recovered !reliably_recovered !responded !remitted`,
        { severity_band: 'moderate', improved_session: null },
      ],
      combined: [`${COHORT} caseness !improved !deteriorated !recovered !reliably_recovered`],
    },
  },
  {
    name: 'half-exactly',
    behaviour: 'a final of exactly half the baseline is a response; combined recovery needs both finals below caseness',
    phq9: '0:20 2:10',
    gad7: '0:10 1:5',
    expected: {
      'PHQ-9': [
        `${COHORT} caseness improved !deteriorated !recovered !reliably_recovered responded !remitted`,
        { severity_band: 'severe' },
      ],
      'GAD-7': [`${COHORT} ${IMPROVED_AND_RECOVERED} responded !remitted`, { severity_band: 'moderate' }],
      combined: [`${COHORT} caseness improved !deteriorated !recovered !reliably_recovered`],
    },
  },
  {
    name: 'half-and-a-bit',
    behaviour: 'a final just above half the baseline is no response',
    phq9: '0:19 2:10',
    gad7: '0:11 1:6',
    expected: {
      'PHQ-9': [
        `${COHORT} caseness improved !deteriorated !recovered !reliably_recovered !responded !remitted`,
        { severity_band: 'moderately_severe' },
      ],
      'GAD-7': [`${COHORT} ${IMPROVED_AND_RECOVERED} !responded !remitted`],
      combined: [`${COHORT} caseness improved !deteriorated !recovered !reliably_recovered`],
    },
  },
  {
    name: 'remission-five',
    behaviour: 'a final of 5 is no remission (4 is, above); an instrument with no scores leaves combined unpaired',
    phq9: '0:12 6:5',
    expected: {
      'PHQ-9': [`${COHORT} ${IMPROVED_AND_RECOVERED} responded !remitted`],
      'GAD-7': ['!paired finished !cohort !dropout', NO_SCORES],
      combined: ['!paired finished !cohort !dropout', { scores: 0 }],
    },
  },
  {
    name: 'improve-and-deteriorate',
    behaviour: 'reliable improvement on one instrument and deterioration (exactly 6) on the other is neither, combined',
    phq9: '0:5 3:11',
    gad7: '0:9 3:4',
    expected: {
      'PHQ-9': [`${COHORT} !caseness !improved deteriorated`, { severity_band: 'mild' }],
      'GAD-7': [`${COHORT} ${IMPROVED_AND_RECOVERED} responded remitted`],
      combined: [`${COHORT} caseness !improved !deteriorated !recovered !reliably_recovered`],
    },
  },
  {
    name: 'deteriorate-one',
    behaviour: 'deterioration one short (5) on PHQ-9 and exactly 4 on GAD-7 is a combined reliable deterioration',
    phq9: '0:5 3:10',
    gad7: '0:4 3:8',
    expected: {
      'PHQ-9': [`${COHORT} !caseness !improved !deteriorated`, { severity_band: 'mild' }],
      'GAD-7': [`${COHORT} !caseness !improved deteriorated`, { severity_band: 'minimal' }],
      combined: [`${COHORT} !caseness !improved deteriorated`],
    },
  },
  {
    name: 'unpaired',
    behaviour: 'a single score is unpaired: it is both baseline and final, and its flags stay null',
    phq9: '2:14',
    expected: {
      'PHQ-9': [
        '!paired finished !cohort !dropout caseness',
        { scores: 1, baseline: 14, final: 14, baseline_session: 2, last_session: 2, severity_band: 'moderate' },
      ],
      'GAD-7': ['!paired finished !cohort !dropout', NO_SCORES],
      combined: ['!paired finished !cohort !dropout', { scores: 0 }],
    },
  },
  {
    name: 'paired-on-one',
    behaviour: 'paired on PHQ-9 only: in the PHQ-9 outcome cohort, not in the combined one',
    phq9: '0:14 4:6',
    gad7: '0:10',
    expected: {
      'PHQ-9': [`${COHORT} ${IMPROVED_AND_RECOVERED} responded !remitted`],
      'GAD-7': ['!paired finished !cohort !dropout caseness', { scores: 1 }],
      combined: ['!paired finished !cohort !dropout caseness', { scores: 1 }],
    },
  },
  {
    name: 'ongoing',
    behaviour: 'an ongoing episode is not finished, has no dropout and no end quarter, but keeps its improvement time',
    episode: { end_month: null, end_reason: null, sessions_attended: 6 },
    phq9: '0:18 3:8',
    expected: {
      'PHQ-9': ['paired !finished !cohort caseness', { improved_session: 3, end_quarter: null, length_band: '5-8' }],
      'GAD-7': ['!paired !finished !cohort', NO_SCORES],
      combined: ['!paired !finished !cohort', { end_quarter: null }],
    },
  },
  {
    name: 'single-session-dropout',
    behaviour: 'one attended session, then dropped out: not finished, but a dropout on every row',
    episode: { end_reason: 'dropped_out', sessions_attended: 1 },
    phq9: '0:16 1:9',
    expected: {
      'PHQ-9': ['paired !finished !cohort caseness dropout', { length_band: '1-4' }],
      'GAD-7': ['!paired !finished !cohort dropout', NO_SCORES],
      combined: ['!paired !finished !cohort dropout'],
    },
  },
  {
    name: 'two-sessions',
    behaviour: 'two attended sessions and an end are enough to finish treatment',
    episode: { sessions_attended: 2, end_reason: 'referred_on' },
    phq9: '0:11 2:3',
    expected: {
      'PHQ-9': [`${COHORT} ${IMPROVED_AND_RECOVERED} responded remitted`, { length_band: '1-4' }],
      'GAD-7': ['!paired finished !cohort !dropout', NO_SCORES],
      combined: ['!paired finished !cohort !dropout', { scores: 0 }],
    },
  },
  {
    name: 'no-scores-no-sessions',
    behaviour: 'an ended episode with no sessions and no scores has its three rows, outside the dropout denominator',
    episode: { sessions_attended: 0 },
    expected: {
      'PHQ-9': ['!paired !finished !cohort', { ...NO_SCORES, length_band: '0' }],
      'GAD-7': ['!paired !finished !cohort', NO_SCORES],
      combined: ['!paired !finished !cohort', { scores: 0 }],
    },
  },
  {
    name: 'no-scores-finished',
    behaviour: 'a finished episode with no scores counts as finished (and not as a dropout) on every row',
    episode: { sessions_attended: 3 },
    expected: {
      'PHQ-9': ['!paired finished !cohort !dropout', NO_SCORES],
      'GAD-7': ['!paired finished !cohort !dropout', NO_SCORES],
      combined: ['!paired finished !cohort !dropout', { scores: 0 }],
    },
  },
  {
    name: 'improved-early',
    behaviour: 'scores are taken in session order; improved_session is the first qualifying score, not the last',
    // Inserted out of session order; item9 counts on the PHQ-9 only, even when a GAD-7 row carries one.
    phq9: '5:16:0 0:20:1 8:9:0 1:17:2 3:14',
    gad7: '6:12 2:12 1:15 4:11:3',
    expected: {
      'PHQ-9': [
        `${COHORT} ${IMPROVED_AND_RECOVERED} responded !remitted`,
        { scores: 5, baseline: 20, final: 9, baseline_session: 0, last_session: 8, improved_session: 3, max_item9: 2 },
      ],
      'GAD-7': [
        `${COHORT} caseness !improved !deteriorated !recovered !reliably_recovered !responded !remitted`,
        {
          scores: 4,
          baseline: 15,
          final: 12,
          baseline_session: 1,
          last_session: 6,
          improved_session: 4,
          max_item9: null,
        },
      ],
      combined: [`${COHORT} caseness improved !deteriorated !recovered !reliably_recovered`, { scores: 4 }],
    },
  },
];

// [sessions attended, end month, length band, end quarter]: both sides of every boundary.
const BANDS: ReadonlyArray<readonly [number, string, string, string]> = [
  [0, '2025-01', '0', '2025-Q1'],
  [1, '2025-03', '1-4', '2025-Q1'],
  [4, '2025-04', '1-4', '2025-Q2'],
  [5, '2025-06', '5-8', '2025-Q2'],
  [8, '2025-07', '5-8', '2025-Q3'],
  [9, '2025-09', '9-12', '2025-Q3'],
  [12, '2025-10', '9-12', '2025-Q4'],
  [13, '2025-12', '13-16', '2025-Q4'],
  [16, '2026-01', '13-16', '2026-Q1'],
  [17, '2026-02', '17-20', '2026-Q1'],
  [20, '2026-05', '17-20', '2026-Q2'],
  [21, '2026-08', '21+', '2026-Q3'],
  [40, '2026-11', '21+', '2026-Q4'],
];

// Single baseline scores on both sides of every severity boundary: [PHQ-9, band, GAD-7, band].
const SEVERITIES: ReadonlyArray<readonly [number, string, number | null, string | null]> = [
  [0, 'minimal', 0, 'minimal'],
  [4, 'minimal', 4, 'minimal'],
  [5, 'mild', 5, 'mild'],
  [9, 'mild', 9, 'mild'],
  [10, 'moderate', 10, 'moderate'],
  [14, 'moderate', 14, 'moderate'],
  [15, 'moderately_severe', 15, 'severe'],
  [19, 'moderately_severe', 21, 'severe'],
  [20, 'severe', null, null],
  [27, 'severe', null, null],
];

const ALL_KEYS = [
  ...CASES.map((c) => key(c.name)),
  ...BANDS.map((_, i) => key(`band-${i}`)),
  ...SEVERITIES.map((_, i) => key(`severity-${i}`)),
];

for (const kind of backends) {
  describe(`refreshEpisodeOutcomes on ${kind}`, () => {
    let warehouse: TestWarehouse;
    let derivedFirst: number;
    let firstRows: Outcome[];
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
      await insertFixtures(warehouse);
      derivedFirst = await refresh(warehouse, ALL_KEYS);
      firstRows = await outcomeRows(warehouse);
    });
    afterAll(async () => {
      await warehouse?.dispose();
    });

    test('derives three rows per touched episode and returns the number of episodes', async () => {
      expect(derivedFirst).toBe(ALL_KEYS.length);
      expect(firstRows).toHaveLength(3 * ALL_KEYS.length);
      for (const instrument of OUTCOME_INSTRUMENTS) {
        expect(firstRows.filter((row) => row.instrument === instrument)).toHaveLength(ALL_KEYS.length);
      }
    });

    test('a complete row: dimensions are copied from the episode, facts worked by hand', async () => {
      const { 'PHQ-9': phq9, combined } = rowsOf(firstRows, 'at-caseness');
      const dimensions = {
        episode_key: key('at-caseness'),
        modality: 'CBT',
        location: 'Online',
        condition: 'anxiety',
        length_band: '9-12',
        problem_area: 'role_dispute',
        age_band: '35-44',
        delivery: 'telehealth',
        clinician_key: key('clinician-1'),
        start_month: '2024-11',
        end_month: '2025-02',
        end_quarter: '2025-Q1',
        sessions_attended: 9,
      };
      const facts = { scores: 2, baseline: 10, final: 4, baseline_session: 0, last_session: 5, improved_session: 5 };
      expect(phq9).toEqual({
        ...dimensions,
        ...flags(`${COHORT} ${IMPROVED_AND_RECOVERED} responded remitted`),
        ...facts,
        instrument: 'PHQ-9',
        severity_band: 'moderate',
        max_item9: null,
      });
      expect(combined).toEqual({
        ...dimensions,
        ...flags(`${COHORT} ${IMPROVED_AND_RECOVERED}`),
        ...NO_SCORES,
        instrument: 'combined',
        scores: 2,
      });
    });

    for (const episodeCase of CASES) {
      test(episodeCase.behaviour, () => {
        const rows = rowsOf(firstRows, episodeCase.name);
        for (const instrument of OUTCOME_INSTRUMENTS) {
          const [flagLine, columns] = episodeCase.expected[instrument];
          expect(rows[instrument]).toMatchObject({ instrument, ...flags(flagLine), ...columns });
        }
      });
    }

    test('length bands and end quarters on both sides of every boundary', () => {
      BANDS.forEach(([sessions, endMonth, band, quarter], i) => {
        for (const row of Object.values(rowsOf(firstRows, `band-${i}`))) {
          expect({ sessions, endMonth, band: row.length_band, quarter: row.end_quarter }).toEqual({
            sessions,
            endMonth,
            band,
            quarter,
          });
        }
      });
    });

    test('severity bands of the baseline on both sides of every boundary; none without scores', () => {
      SEVERITIES.forEach(([phq9Score, phq9Band, gad7Score, gad7Band], i) => {
        const rows = rowsOf(firstRows, `severity-${i}`);
        expect([phq9Score, rows['PHQ-9'].severity_band]).toEqual([phq9Score, phq9Band]);
        expect([gad7Score, rows['GAD-7'].severity_band]).toEqual([gad7Score, gad7Band]);
        expect(rows.combined.severity_band).toBeNull();
      });
    });

    test('invariants: flags are set exactly inside their denominators', () => {
      for (const row of firstRows) {
        expect(row.outcome_cohort).toBe(row.finished && row.paired);
        expect(row.finished).toBe(row.end_month !== null && row.sessions_attended >= 2);
        expect(row.reliable_improvement === null).toBe(!row.outcome_cohort);
        expect(row.reliable_deterioration === null).toBe(!row.outcome_cohort);
        expect(row.reliable_improvement && row.reliable_deterioration).toBeFalsy();
        const atCaseness = row.outcome_cohort && row.baseline_caseness === true;
        expect(row.recovery === null).toBe(!atCaseness);
        expect(row.reliable_recovery).toBe(
          atCaseness ? row.recovery === true && row.reliable_improvement === true : null,
        );
        if (row.instrument === 'combined') {
          expect([row.response, row.remission, row.baseline, row.final, row.improved_session]).toEqual([
            null,
            null,
            null,
            null,
            null,
          ]);
        } else {
          expect(row.response === null).toBe(!atCaseness);
          expect(row.paired).toBe(row.scores >= 2);
          expect(row.baseline === null).toBe(row.scores === 0);
        }
      }
    });

    test('refreshing again gives the same rows', async () => {
      expect(await refresh(warehouse, ALL_KEYS)).toBe(ALL_KEYS.length);
      expect(await outcomeRows(warehouse)).toEqual(firstRows);
    });

    test('only touched episodes are rewritten; repeated and unknown keys are harmless', async () => {
      // Both episodes change in the warehouse, but only the first is touched.
      for (const name of ['at-caseness', 'below-caseness']) {
        await warehouse.db
          .updateTable('measure')
          .set({ score: 12 })
          .where('episode_key', '=', key(name))
          .where('instrument', '=', 'PHQ-9')
          .where('session_number', '>', 0)
          .execute();
      }
      const touched = [key('at-caseness'), key('at-caseness'), key('not-an-episode')];
      expect(await refresh(warehouse, touched)).toBe(1);

      const rewritten = rowsOf(await outcomeRows(warehouse), 'at-caseness');
      // PHQ-9 10 -> 12: not improved, not recovered; combined, GAD-7 alone still improves reliably
      // (and PHQ-9 did not deteriorate reliably), but recovery needs both below caseness.
      expect(rewritten['PHQ-9']).toMatchObject({
        final: 12,
        reliable_improvement: false,
        reliable_deterioration: false,
        recovery: false,
        response: false,
        remission: false,
        improved_session: null,
      });
      expect(rewritten.combined).toMatchObject({
        reliable_improvement: true,
        recovery: false,
        reliable_recovery: false,
      });
      const rows = await outcomeRows(warehouse);
      expect(rows).toHaveLength(firstRows.length);
      const untouched = (list: Outcome[]) => list.filter((row) => row.episode_key !== key('at-caseness'));
      expect(untouched(rows)).toEqual(untouched(firstRows));
      expect(rowsOf(rows, 'below-caseness')['PHQ-9'].final).toBe(3);
    });

    test('an empty touched table derives nothing and changes nothing', async () => {
      const before = await outcomeRows(warehouse);
      expect(await refresh(warehouse, [])).toBe(0);
      expect(await outcomeRows(warehouse)).toEqual(before);
    });

    test("the caller's JIT setting is back after the refresh (it is switched off only for the derivation)", async () => {
      const session = await warehouse.openBulkSession();
      try {
        const jitAfter = await session.transaction(async (tx) => {
          await tx.query(`set local jit = on`);
          await tx.query('create temp table touched_episode_keys on commit drop as select episode_key from episode');
          await refreshEpisodeOutcomes(tx, { touchedTable: 'touched_episode_keys' });
          return (await tx.query<{ jit: string }>(`select current_setting('jit') as jit`))[0]?.jit;
        });
        expect(jitAfter).toBe('on');
      } finally {
        await session.release();
      }
    });

    test('a touched table name that is not a plain identifier is refused', async () => {
      const session = await warehouse.openBulkSession();
      try {
        await expect(refreshEpisodeOutcomes(session, { touchedTable: 'episode; drop table measure' })).rejects.toThrow(
          /not a plain table name/,
        );
      } finally {
        await session.release();
      }
    });
  });
}

async function refresh(warehouse: TestWarehouse, keys: readonly string[]): Promise<number> {
  const session = await warehouse.openBulkSession();
  try {
    return await session.transaction(async (tx) => {
      await tx.query('create temp table touched_episode_keys (episode_key text not null) on commit drop');
      await tx.query('insert into touched_episode_keys (episode_key) select unnest($1::text[])', [keys]);
      return refreshEpisodeOutcomes(tx, { touchedTable: 'touched_episode_keys' });
    });
  } finally {
    await session.release();
  }
}

async function outcomeRows(warehouse: TestWarehouse): Promise<Outcome[]> {
  return warehouse.db.selectFrom('episode_outcome').selectAll().orderBy('episode_key').orderBy('instrument').execute();
}

function rowsOf(rows: readonly Outcome[], name: string): Record<OutcomeInstrument, Outcome> {
  const find = (instrument: string) => {
    const row = rows.find((candidate) => candidate.episode_key === key(name) && candidate.instrument === instrument);
    if (!row) throw new Error(`no ${instrument} row for ${name}`);
    return row;
  };
  return { 'PHQ-9': find('PHQ-9'), 'GAD-7': find('GAD-7'), combined: find('combined') };
}

async function insertFixtures(warehouse: TestWarehouse) {
  await warehouse.db
    .insertInto('etl_run')
    .values({ id: RUN_ID, status: 'succeeded', dry_run: false, source: 'hand-made' })
    .execute();
  const episode = (name: string, overrides: Partial<Insertable<EpisodeTable>> = {}): Insertable<EpisodeTable> => ({
    episode_key: key(name),
    client_key: key(`client-${name}`),
    clinician_key: null,
    location: 'Evanston',
    modality: 'IPT',
    diagnosis_code: 'F33.1',
    condition: 'depression',
    problem_area: null,
    age_band: '25-34',
    start_month: '2025-01',
    end_month: '2025-05',
    end_reason: 'completed',
    sessions_attended: 10,
    sessions_missed: null,
    wait_days: null,
    delivery: null,
    run_id: RUN_ID,
    ...overrides,
  });
  await warehouse.db
    .insertInto('episode')
    .values([
      ...CASES.map((c) => episode(c.name, c.episode)),
      ...BANDS.map(([sessions, endMonth], i) =>
        episode(`band-${i}`, { sessions_attended: sessions, end_month: endMonth, start_month: '2025-01' }),
      ),
      ...SEVERITIES.map((_, i) => episode(`severity-${i}`)),
    ])
    .execute();

  const measures = (name: string, instrument: string, scores = '') =>
    scores
      .split(' ')
      .filter(Boolean)
      .map((text) => {
        const [session_number = NaN, score = NaN, item9 = null] = text.split(':').map(Number);
        return { episode_key: key(name), instrument, session_number, score, item9, run_id: RUN_ID };
      });
  await warehouse.db
    .insertInto('measure')
    .values([
      ...CASES.flatMap((c) => [...measures(c.name, 'PHQ-9', c.phq9), ...measures(c.name, 'GAD-7', c.gad7)]),
      ...SEVERITIES.flatMap(([phq9, , gad7], i) => [
        ...measures(`severity-${i}`, 'PHQ-9', `0:${phq9}`),
        ...measures(`severity-${i}`, 'GAD-7', gad7 === null ? '' : `0:${gad7}`),
      ]),
    ])
    .execute();
}
