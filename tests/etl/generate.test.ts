import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  conditionOf,
  DELIVERY_MODES,
  END_REASONS,
  EPISODE_RULES,
  INSTRUMENT_DEFINITIONS,
  MODALITIES,
  normaliseDiagnosisCode,
  parseModality,
  PROBLEM_AREAS,
} from '../../db/definitions';
import { CLINICIANS, EPISODES, type FileContract, MEASURES } from '../../etl/files/contract';
import { DIAGNOSIS_CODES } from '../../etl/generate/clinic-profile';
import { generateDemoData, type GenerateOptions, type GenerateSummary } from '../../etl/generate/generate-demo-data';

type Row = Record<string, string>;
interface Generated {
  summary: GenerateSummary;
  raw: Record<'episodes' | 'measures' | 'clinicians', Buffer>;
  episodes: Row[];
  measures: Row[];
  clinicians: Row[];
}

let root: string;
const generated: Record<string, Generated> = {};

async function generate(name: string, options: Omit<GenerateOptions, 'outDir'>): Promise<Generated> {
  const dir = path.join(root, name);
  const summary = await generateDemoData({ ...options, outDir: dir });
  const raw = {
    episodes: await readFile(path.join(dir, 'episodes.csv')),
    measures: await readFile(path.join(dir, 'measures.csv')),
    clinicians: await readFile(path.join(dir, 'clinicians.csv')),
  };
  // Strict parsing: a field that needed quoting and was not would change a row's column count.
  const rows = (bytes: Buffer): Row[] => parse(bytes, { columns: true, encoding: 'utf8' });
  return { summary, raw, episodes: rows(raw.episodes), measures: rows(raw.measures), clinicians: rows(raw.clinicians) };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'generate-test-'));
  generated.small = await generate('small', { episodes: 2_000, seed: 11 });
  generated.smallAgain = await generate('small-again', { episodes: 2_000, seed: 11 });
  generated.otherSeed = await generate('other-seed', { episodes: 2_000, seed: 12 });
  generated.clean = await generate('clean', { episodes: 2_000, seed: 11, faults: false });
  generated.large = await generate('large', { episodes: 20_000, seed: 5 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The faults the loader's own contract finds in each row: [column, reason]. */
function contractFaults(contract: FileContract, rows: Row[]): Array<[string, string]> {
  const faults: Array<[string, string]> = [];
  for (const row of rows) {
    const values: Record<string, string | number | null> = {};
    let rowOk = true;
    for (const column of contract.columns) {
      const result = column.read(row[column.name] ?? '');
      if (result.ok) values[column.name] = result.value;
      else {
        faults.push([column.name, result.reason]);
        rowOk = false;
      }
    }
    const crossColumn = rowOk ? contract.checkRow?.(values) : null;
    if (crossColumn) faults.push([crossColumn.column, crossColumn.reason]);
  }
  return faults;
}

const count = <T>(items: T[], predicate: (item: T) => boolean) => items.filter(predicate).length;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const monthNumber = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
/** Valid PHQ-9 scores of each episode in session order (rows that break the contract left out, as on load). */
function phq9Series(measures: Row[]): Map<string, Row[]> {
  const series = new Map<string, Row[]>();
  for (const measure of measures) {
    if (measure.instrument !== 'PHQ-9' || Number(measure.score) > INSTRUMENT_DEFINITIONS['PHQ-9'].maxScore) continue;
    const scores = series.get(measure.episode_id!) ?? [];
    scores.push(measure);
    series.set(measure.episode_id!, scores);
  }
  for (const scores of series.values()) scores.sort((a, b) => Number(a.session_number) - Number(b.session_number));
  return series;
}

/**
 * Crude PHQ-9 recovery as METRICS.md defines it: among ended episodes with at least 2 attended
 * sessions, paired on PHQ-9 (scores at two session numbers), with a baseline at caseness, the share
 * whose final score is below caseness.
 */
function phq9Recovery(
  episodes: Row[],
  series: Map<string, Row[]>,
): { recovered: number; cohort: number; rate: number } {
  const { caseness } = INSTRUMENT_DEFINITIONS['PHQ-9'];
  let recovered = 0;
  let cohort = 0;
  for (const episode of episodes) {
    if (episode.end_month === '' || Number(episode.sessions_attended) < EPISODE_RULES.finishedMinSessions) continue;
    const ordered = series.get(episode.episode_id!) ?? [];
    if (ordered.length < 2 || ordered[0]!.session_number === ordered.at(-1)!.session_number) continue;
    if (Number(ordered[0]!.score) < caseness) continue;
    cohort += 1;
    if (Number(ordered.at(-1)!.score) < caseness) recovered += 1;
  }
  return { recovered, cohort, rate: recovered / cohort };
}

describe('phq9Recovery (the test helper), on a hand-worked case', () => {
  test('counts only finished, paired episodes at caseness', () => {
    const episode = (id: string, endMonth: string, attended: number) => ({
      episode_id: id,
      end_month: endMonth,
      sessions_attended: String(attended),
    });
    const score = (id: string, session: number, value: number) => ({
      episode_id: id,
      session_number: String(session),
      instrument: 'PHQ-9',
      score: String(value),
    });
    const episodes = [
      episode('recovered', '2026-01', 3),
      episode('not-recovered', '2026-01', 4),
      episode('one-session', '2026-01', 1),
      episode('ongoing', '', 6),
      episode('mild', '2026-01', 5),
      episode('unpaired', '2026-01', 5),
    ];
    const measures = [
      score('recovered', 3, 8),
      score('recovered', 0, 15), // out of order: baseline is session 0
      score('not-recovered', 0, 12),
      score('not-recovered', 4, 10),
      score('one-session', 0, 20),
      score('one-session', 1, 3),
      score('ongoing', 0, 20),
      score('ongoing', 5, 3),
      score('mild', 0, 9),
      score('mild', 5, 2),
      score('unpaired', 0, 18),
    ];
    expect(phq9Recovery(episodes, phq9Series(measures))).toEqual({ recovered: 1, cohort: 2, rate: 0.5 });
  });
});

describe('generateDemoData: determinism', () => {
  test('the same options give byte-identical files, another seed different ones', () => {
    const { small, smallAgain, otherSeed } = generated;
    for (const file of ['episodes', 'measures', 'clinicians'] as const) {
      expect(small!.raw[file].equals(smallAgain!.raw[file]), file).toBe(true);
    }
    expect(small!.raw.episodes.equals(otherSeed!.raw.episodes)).toBe(false);
    expect(small!.raw.measures.equals(otherSeed!.raw.measures)).toBe(false);
  });

  test('the summary counts the rows written, and progress ends at the episode count', async () => {
    const { small } = generated;
    expect(small!.summary).toMatchObject({
      episodes: 2_000,
      measures: small!.measures.length,
      clinicians: small!.clinicians.length,
    });
    expect(small!.episodes).toHaveLength(2_000);
    const progress: number[] = [];
    await generateDemoData({
      outDir: path.join(root, 'progress'),
      episodes: 25_000,
      seed: 1,
      onProgress: (written) => progress.push(written),
    });
    expect(progress).toEqual([10_000, 20_000, 25_000]);
  });

  test('dates stay within the 36 months up to lastMonth, whatever today is', async () => {
    const { episodes } = await generate('last-month', { episodes: 500, seed: 3, lastMonth: '2020-06' });
    const last = monthNumber('2020-06');
    for (const episode of episodes) {
      expect(monthNumber(episode.start_month!)).toBeGreaterThanOrEqual(last - 35);
      expect(monthNumber(episode.end_month || episode.start_month!)).toBeLessThanOrEqual(last);
    }
  });

  test('a few episodes were never closed: no end long after the longest course could have run', () => {
    // The longest course (26 planned sessions and the missed ones, at 2.8 or more a month) runs about
    // 13 months; an episode with no end that started two years or more before was left open.
    // One dropout in 40 (clinic-profile.ts), dropouts 18%: about 0.45% of episodes, of every age.
    const { episodes } = generated.large!;
    const last = Math.max(...episodes.map((episode) => monthNumber(episode.start_month!)));
    const neverClosed = episodes.filter(
      (episode) => episode.end_month === '' && monthNumber(episode.start_month!) <= last - 24,
    );
    expect(neverClosed.length).toBeGreaterThan(0);
    expect(neverClosed.length / episodes.length).toBeLessThan(0.0045);
    expect(neverClosed.every((episode) => episode.end_reason === '')).toBe(true);
  });

  test('refuses options it cannot honour', async () => {
    const outDir = path.join(root, 'refused');
    await expect(generateDemoData({ outDir, episodes: -1, seed: 1 })).rejects.toThrow(/episodes/);
    await expect(generateDemoData({ outDir, episodes: 1.5, seed: 1 })).rejects.toThrow(/episodes/);
    await expect(generateDemoData({ outDir, episodes: 10, seed: -1 })).rejects.toThrow(/seed/);
    await expect(generateDemoData({ outDir, episodes: 10, seed: 1, lastMonth: '2026-13' })).rejects.toThrow(
      /lastMonth/,
    );
  });
});

describe('generateDemoData: the data contract', () => {
  test('headers name exactly the contract columns; lines end in \\n', () => {
    const { small } = generated;
    for (const [file, contract] of [
      ['episodes', EPISODES],
      ['measures', MEASURES],
      ['clinicians', CLINICIANS],
    ] as const) {
      const text = small!.raw[file].toString('utf8');
      expect(text.split('\n')[0]!.split(',').sort()).toEqual(contract.columns.map((column) => column.name).sort());
      expect(text.includes('\r')).toBe(false);
      expect(text.endsWith('\n')).toBe(true);
    }
  });

  test('with faults off, every row meets the contract and the vocabulary of db/definitions.ts', () => {
    const { clean } = generated;
    expect(clean!.summary.faults).toEqual({
      outOfRangeScore: 0,
      measureForMissingEpisode: 0,
      malformedDiagnosisCode: 0,
      unknownModality: 0,
    });
    expect(contractFaults(EPISODES, clean!.episodes)).toEqual([]);
    expect(contractFaults(MEASURES, clean!.measures)).toEqual([]);
    expect(contractFaults(CLINICIANS, clean!.clinicians)).toEqual([]);

    // Stricter than the contract: the generator writes canonical values only, consistent across files.
    const clinicians = new Map(clean!.clinicians.map((clinician) => [clinician.clinician_id!, clinician]));
    const episodeIds = new Set(clean!.episodes.map((episode) => episode.episode_id));
    const problems: string[] = [];
    const check = (ok: boolean, problem: string) => ok || problems.push(problem);
    for (const e of clean!.episodes) {
      check((MODALITIES as readonly string[]).includes(e.modality!), `modality ${e.modality}`);
      check(normaliseDiagnosisCode(e.diagnosis_code!) === e.diagnosis_code, `code ${e.diagnosis_code}`);
      check(
        e.problem_area === '' || (PROBLEM_AREAS as readonly string[]).includes(e.problem_area!),
        `problem area ${e.problem_area}`,
      );
      check(
        e.end_reason === '' || (END_REASONS as readonly string[]).includes(e.end_reason!),
        `end reason ${e.end_reason}`,
      );
      check(e.delivery === '' || (DELIVERY_MODES as readonly string[]).includes(e.delivery!), `delivery ${e.delivery}`);
      check(
        e.location !== 'Online' || e.delivery === 'telehealth',
        `online episode ${e.episode_id} delivered ${e.delivery}`,
      );
      check(e.age === '' || (Number(e.age) >= 16 && Number(e.age) <= 95), `age ${e.age}`);
      const clinician = clinicians.get(e.clinician_id!);
      check(
        e.clinician_id === '' || clinician?.location === e.location,
        `clinician ${e.clinician_id} not at ${e.location}`,
      );
      check(
        e.clinician_id === '' || clinician!.modalities!.split(';').includes(e.modality!),
        `clinician ${e.clinician_id} without ${e.modality}`,
      );
    }
    const scoreKeys = new Set<string>();
    for (const m of clean!.measures) {
      check(episodeIds.has(m.episode_id), `score for missing episode ${m.episode_id}`);
      scoreKeys.add(`${m.episode_id}/${m.session_number}/${m.instrument}`);
      check(
        m.item9 === '' || (m.instrument === 'PHQ-9' && Number(m.item9) <= Number(m.score)),
        `item9 ${m.item9} of ${m.instrument} ${m.score}`,
      );
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(episodeIds.size, 'episode ids are unique').toBe(clean!.episodes.length);
    expect(clinicians.size, 'clinician ids are unique').toBe(clean!.clinicians.length);
    expect(scoreKeys.size, 'one score per episode, session and instrument').toBe(clean!.measures.length);
  });

  test('with faults on, the only rows that break the contract are exactly the counted faults', () => {
    const { small, large } = generated;
    for (const run of [small!, large!]) {
      const { faults } = run.summary;
      const episodeFaults = contractFaults(EPISODES, run.episodes);
      expect(count(episodeFaults, ([column]) => column === 'diagnosis_code')).toBe(faults.malformedDiagnosisCode);
      expect(count(episodeFaults, ([column]) => column === 'modality')).toBe(faults.unknownModality);
      expect(episodeFaults).toHaveLength(faults.malformedDiagnosisCode + faults.unknownModality);

      const measureFaults = contractFaults(MEASURES, run.measures);
      expect(measureFaults.every(([column]) => column === 'score')).toBe(true);
      expect(measureFaults).toHaveLength(faults.outOfRangeScore);
      const episodeIds = new Set(run.episodes.map((episode) => episode.episode_id));
      expect(count(run.measures, (measure) => !episodeIds.has(measure.episode_id))).toBe(
        faults.measureForMissingEpisode,
      );
      expect(contractFaults(CLINICIANS, run.clinicians)).toEqual([]);
    }
    // The demo shows every kind of fault, and quoting: a malformed code written with a decimal comma.
    expect(Object.values(large!.summary.faults).every((faults) => faults > 0)).toBe(true);
    expect(large!.episodes.some((episode) => episode.diagnosis_code!.includes(','))).toBe(true);
  });

  test('faults stay under 1% of each file, counting the scores a rejected episode takes with it', () => {
    const { large } = generated;
    const { faults } = large!.summary;
    const faultyEpisodes = new Set(
      large!.episodes
        .filter((episode) => !normaliseDiagnosisCode(episode.diagnosis_code!) || !parseModality(episode.modality!))
        .map((episode) => episode.episode_id),
    );
    expect(faultyEpisodes.size).toBe(faults.malformedDiagnosisCode + faults.unknownModality);
    expect(faultyEpisodes.size / large!.episodes.length).toBeLessThan(0.01);
    const scoresRejectedOnLoad =
      faults.outOfRangeScore +
      faults.measureForMissingEpisode +
      count(large!.measures, (m) => faultyEpisodes.has(m.episode_id));
    expect(scoresRejectedOnLoad / large!.measures.length).toBeLessThan(0.01);
  });
});

describe('generateDemoData: a realistic clinic group', () => {
  test('each profile diagnosis code is valid ICD-10-CM and falls in its condition group', () => {
    for (const [condition, codes] of Object.entries(DIAGNOSIS_CODES)) {
      for (const [code] of codes) {
        expect(normaliseDiagnosisCode(code)).toBe(code);
        expect(conditionOf(code), code).toBe(condition);
      }
    }
  });

  test('course lengths: IPT 12-16 sessions, CBT 7-9, IPSRT 16-20 (medians), with single- and zero-session episodes', () => {
    const { large } = generated;
    const sessions = (modality: string) =>
      large!.episodes.filter((e) => e.modality === modality).map((e) => Number(e.sessions_attended));
    expect(median(sessions('IPT'))).toBeGreaterThanOrEqual(12);
    expect(median(sessions('IPT'))).toBeLessThanOrEqual(16);
    expect(median(sessions('CBT'))).toBeGreaterThanOrEqual(7);
    expect(median(sessions('CBT'))).toBeLessThanOrEqual(9);
    expect(median(sessions('IPSRT'))).toBeGreaterThanOrEqual(16);
    expect(median(sessions('IPSRT'))).toBeLessThanOrEqual(20);
    expect(count(large!.episodes, (e) => e.sessions_attended === '0')).toBeGreaterThan(0);
    expect(count(large!.episodes, (e) => e.sessions_attended === '1')).toBeGreaterThan(0);
  });

  test('modality mix near IPT 35%, CBT 45%, IPSRT 8%, DIT 7%, other 5%; IPSRT mostly for bipolar', () => {
    const { large } = generated;
    const share = (modality: string) => count(large!.episodes, (e) => e.modality === modality) / large!.episodes.length;
    const expected = { IPT: 0.35, CBT: 0.45, IPSRT: 0.08, DIT: 0.07, other: 0.05 };
    for (const [modality, target] of Object.entries(expected))
      expect(Math.abs(share(modality) - target), modality).toBeLessThan(0.03);
    const ipsrt = large!.episodes.filter((e) => e.modality === 'IPSRT');
    expect(count(ipsrt, (e) => conditionOf(e.diagnosis_code!) === 'bipolar') / ipsrt.length).toBeGreaterThan(0.7);
  });

  test('six sites with Online the largest; about 10% ongoing; dropouts 15-20% of ended episodes, leaving early', () => {
    const { large } = generated;
    const episodes = large!.episodes;
    const bySite = new Map<string, number>();
    for (const e of episodes) bySite.set(e.location!, (bySite.get(e.location!) ?? 0) + 1);
    expect([...bySite.keys()].sort()).toEqual([
      'Arlington Heights',
      'Evanston',
      'Lakeview',
      'Loop',
      'Online',
      'River North',
    ]);
    expect(Math.max(...bySite.values())).toBe(bySite.get('Online'));
    const ongoing = count(episodes, (e) => e.end_month === '') / episodes.length;
    expect(ongoing).toBeGreaterThan(0.06);
    expect(ongoing).toBeLessThan(0.14);
    const ended = episodes.filter((e) => e.end_month !== '');
    const dropouts = ended.filter((e) => e.end_reason === 'dropped_out');
    expect(dropouts.length / ended.length).toBeGreaterThanOrEqual(0.15);
    expect(dropouts.length / ended.length).toBeLessThanOrEqual(0.2);
    const completed = ended.filter((e) => e.end_reason === 'completed');
    expect(median(dropouts.map((e) => Number(e.sessions_attended)))).toBeLessThan(
      median(completed.map((e) => Number(e.sessions_attended))) / 2,
    );
    const waits = episodes.filter((e) => e.wait_days !== '').map((e) => Number(e.wait_days));
    expect(median(waits)).toBeGreaterThanOrEqual(30);
    expect(median(waits)).toBeLessThanOrEqual(60);
    expect(count(episodes, (e) => Number(e.age) > 89)).toBeGreaterThan(0);
  });

  test('about 10 scores per episode; one clinician per 100-200 episodes; some clients come back', () => {
    const { large } = generated;
    const scoresPerEpisode = large!.measures.length / large!.episodes.length;
    expect(scoresPerEpisode).toBeGreaterThan(8);
    expect(scoresPerEpisode).toBeLessThan(12);
    const episodesPerClinician = large!.episodes.length / large!.clinicians.length;
    expect(episodesPerClinician).toBeGreaterThanOrEqual(100);
    expect(episodesPerClinician).toBeLessThanOrEqual(200);
    expect(new Set(large!.episodes.map((e) => e.client_id)).size).toBeLessThan(large!.episodes.length * 0.95);
  });

  test('PHQ-9 recovery near 50% overall, at least 10 points between best and worst site, modest between IPT and CBT', () => {
    const { large } = generated;
    const series = phq9Series(large!.measures);
    const overall = phq9Recovery(large!.episodes, series);
    expect(overall.rate).toBeGreaterThanOrEqual(0.4);
    expect(overall.rate).toBeLessThanOrEqual(0.6);
    const rateWhere = (predicate: (episode: Row) => boolean) =>
      phq9Recovery(large!.episodes.filter(predicate), series).rate;
    const siteRates = [...new Set(large!.episodes.map((e) => e.location!))].map((site) =>
      rateWhere((e) => e.location === site),
    );
    expect(Math.max(...siteRates) - Math.min(...siteRates)).toBeGreaterThanOrEqual(0.1);
    expect(Math.abs(rateWhere((e) => e.modality === 'IPT') - rateWhere((e) => e.modality === 'CBT'))).toBeLessThan(0.1);
  });

  test('a minority deteriorate reliably; item 9 is mostly 0', () => {
    const { large } = generated;
    const { reliableChange } = INSTRUMENT_DEFINITIONS['PHQ-9'];
    let paired = 0;
    let deteriorated = 0;
    for (const scores of phq9Series(large!.measures).values()) {
      if (scores.length < 2) continue;
      paired += 1;
      if (Number(scores.at(-1)!.score) - Number(scores[0]!.score) >= reliableChange) deteriorated += 1;
    }
    expect(deteriorated / paired).toBeGreaterThan(0.03);
    expect(deteriorated / paired).toBeLessThan(0.1);
    const item9 = large!.measures.filter((m) => m.item9 !== '');
    expect(count(item9, (m) => m.item9 === '0') / item9.length).toBeGreaterThan(0.75);
  });
});
