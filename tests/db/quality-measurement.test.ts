import { expect, test } from 'vitest';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import type { AccessScope } from '../../db/queries/outcome-query';
import { getMeasurementCompleteness } from '../../db/queries/quality-measurement';
import { measurementTable } from '../../app/utils/quality-tables';
import { ALL_LOCATIONS as ALL, describeWithEpisodes, type EpisodeFixture, many } from '../support/episode-fixtures';

/**
 * Measurement audit on 22 hand-made episodes. Worked by hand:
 *
 * Evanston, IPT, clinician clin-a (9 episodes):
 *   6 finished, PHQ-9 at sessions 0, 5, 10 (2 treatment scores of 10 sessions), GAD-7 at 1 and 10
 *   1 finished with no score (4 sessions), 1 finished with a PHQ-9 baseline only (3 sessions),
 *   1 ongoing with PHQ-9 at 0 and 1 (2 sessions; not finished, so outside completeness)
 *   -> finished 8, cohort 6, completeness 6/8 = 0.75; no baseline 1, no final 1;
 *      attended 60 + 4 + 3 + 2 = 69; PHQ-9 scored 12 + 0 + 0 + 1 = 13; GAD-7 scored 12.
 * Online, CBT, clin-b (10): finished, 4 sessions, PHQ-9 at sessions 1-5: five scores but only 4
 *   sessions attended, so 4 count -> 40 of 40; completeness 10/10.
 * Chicago, IPSRT, no clinician (3): finished, 5 sessions, PHQ-9 at 0 and 4 -> 1 scored each.
 * Overall: 22 episodes, finished 21, cohort 19 -> 19/21 = 0.9048 (meets 0.9, not 0.95);
 *   attended 124; PHQ-9 scored 56, GAD-7 12.
 * Wilson 95% intervals computed independently (prop.test(x, n, correct = FALSE)).
 */

const EPISODES: EpisodeFixture[] = [
  ...many(6, 'evanston-paired', {
    clinician: 'clin-a',
    sessions_attended: 10,
    phq9: '0:15 5:10 10:8',
    gad7: '1:9 10:5',
  }),
  { name: 'evanston-no-scores', clinician: 'clin-a', sessions_attended: 4 },
  { name: 'evanston-baseline-only', clinician: 'clin-a', sessions_attended: 3, phq9: '0:12' },
  { name: 'evanston-ongoing', clinician: 'clin-a', sessions_attended: 2, end_month: null, phq9: '0:14 1:13' },
  ...many(10, 'online', {
    location: 'Online',
    modality: 'CBT',
    clinician: 'clin-b',
    sessions_attended: 4,
    phq9: '1:12 2:11 3:9 4:8 5:7',
  }),
  ...many(3, 'chicago', {
    location: 'Chicago',
    modality: 'IPSRT',
    clinician: null,
    sessions_attended: 5,
    phq9: '0:10 4:5',
  }),
];

const PHQ9 = { ...NO_FILTERS, instrument: 'PHQ-9' as const };

describeWithEpisodes('getMeasurementCompleteness', EPISODES, (warehouse) => {
  test('overall: completeness 19/21 with its Wilson interval meets the default 90% target; sessions scored per instrument', async () => {
    const result = await getMeasurementCompleteness(warehouse().db, { filters: PHQ9, scope: ALL, minCell: 5 });
    expect(result.target).toBe(0.9);
    expect(result.overall).toMatchObject({
      unit: null,
      suppressed: false,
      episodes: 22,
      finished: 21,
      outcome_cohort: 19,
      no_baseline: 1,
      no_final: 1,
      meets_target: true,
      sessions_attended: 124,
      sessions_scored: { 'PHQ-9': 56, 'GAD-7': 12 },
    });
    const completeness = result.overall.paired_completeness!;
    expect([completeness.count, completeness.denominator]).toEqual([19, 21]);
    expect(completeness.rate).toBeCloseTo(0.9047619, 6);
    expect(completeness.ci_low).toBeCloseTo(0.7108586, 6);
    expect(completeness.ci_high).toBeCloseTo(0.9734812, 6);
    expect(result.overall.session_score_share!['PHQ-9']).toBeCloseTo(56 / 124, 10);
    expect(result.overall.session_score_share!['GAD-7']).toBeCloseTo(12 / 124, 10);
  });

  test('the target is configurable: 19/21 falls short of 95%', async () => {
    const result = await getMeasurementCompleteness(warehouse().db, {
      filters: PHQ9,
      scope: ALL,
      minCell: 5,
      target: 0.95,
    });
    expect(result.overall.meets_target).toBe(false);
    await expect(
      getMeasurementCompleteness(warehouse().db, { filters: PHQ9, scope: ALL, target: 1.5 }),
    ).rejects.toThrow(RangeError);
  });

  test('by location: alphabetical, the small group withheld whole, the rest worked by hand', async () => {
    const { by_location } = await getMeasurementCompleteness(warehouse().db, { filters: PHQ9, scope: ALL, minCell: 5 });
    expect(by_location.map((row) => [row.unit, row.suppressed])).toEqual([
      ['Chicago', true],
      ['Evanston', false],
      ['Online', false],
    ]);
    expect(by_location[0]).toMatchObject({
      episodes: null,
      finished: null,
      paired_completeness: null,
      session_score_share: null,
    });
    const evanston = by_location[1]!;
    expect(evanston).toMatchObject({
      episodes: 9,
      finished: 8,
      outcome_cohort: 6,
      no_baseline: 1,
      no_final: 1,
      meets_target: false,
      sessions_attended: 69,
      sessions_scored: { 'PHQ-9': 13, 'GAD-7': 12 },
    });
    expect(evanston.paired_completeness!.rate).toBe(0.75);
    expect(evanston.paired_completeness!.ci_low).toBeCloseTo(0.4092754, 6);
    expect(evanston.paired_completeness!.ci_high).toBeCloseTo(0.9285208, 6);
    // Five scores against four attended sessions count as four: the share is capped at 1.
    const online = by_location[2]!;
    expect(online).toMatchObject({
      episodes: 10,
      finished: 10,
      outcome_cohort: 10,
      meets_target: true,
      sessions_scored: { 'PHQ-9': 40, 'GAD-7': 0 },
    });
    expect(online.session_score_share).toEqual({ 'PHQ-9': 1, 'GAD-7': 0 });
  });

  test('by modality in vocabulary order and by clinician pseudonym (shortened), no clinician last', async () => {
    const result = await getMeasurementCompleteness(warehouse().db, { filters: PHQ9, scope: ALL, minCell: 5 });
    expect(result.by_modality.map((row) => [row.unit, row.episodes])).toEqual([
      ['IPT', 9],
      ['CBT', 10],
      ['IPSRT', null],
    ]);
    expect(result.by_clinician!.map((row) => [row.unit, row.episodes, row.outcome_cohort])).toEqual([
      ['clin-a------', 9, 6],
      ['clin-b------', 10, 10],
      [null, null, null],
    ]);
  });

  test('invariant: shown groups add up to the overall where nothing is withheld (minimum cell 5 hides only Chicago)', async () => {
    const result = await getMeasurementCompleteness(warehouse().db, { filters: PHQ9, scope: ALL, minCell: 5 });
    const shown = result.by_location.filter((row) => !row.suppressed);
    // Chicago's 3 finished, paired episodes are the difference.
    expect(shown.reduce((sum, row) => sum + row.finished!, 0)).toBe(result.overall.finished! - 3);
    expect(shown.reduce((sum, row) => sum + row.outcome_cohort!, 0)).toBe(result.overall.outcome_cohort! - 3);
  });

  test('other instruments: GAD-7 pairs only the six Evanston episodes; combined needs both', async () => {
    const gad7 = await getMeasurementCompleteness(warehouse().db, {
      filters: { ...PHQ9, instrument: 'GAD-7' },
      scope: ALL,
      minCell: 5,
    });
    expect(gad7.by_location[1]).toMatchObject({
      unit: 'Evanston',
      finished: 8,
      outcome_cohort: 6,
      no_baseline: 2,
      no_final: 0,
    });
    expect(gad7.by_location[2]).toMatchObject({
      unit: 'Online',
      finished: 10,
      outcome_cohort: 0,
      no_baseline: 10,
      meets_target: false,
    });
    const combined = await getMeasurementCompleteness(warehouse().db, {
      filters: { ...PHQ9, instrument: 'combined' },
      scope: ALL,
      minCell: 5,
    });
    expect(combined.overall).toMatchObject({ finished: 21, outcome_cohort: 6 });
  });

  test('a group with enough episodes but too few finished shows its episodes and withholds its completeness', async () => {
    const { by_location } = await getMeasurementCompleteness(warehouse().db, { filters: PHQ9, scope: ALL, minCell: 9 });
    expect(by_location[1]).toMatchObject({
      unit: 'Evanston',
      suppressed: false,
      episodes: 9,
      finished: null,
      outcome_cohort: null,
      paired_completeness: null,
      meets_target: null,
      no_baseline: null,
      sessions_attended: 69,
    });
  });

  test('the default minimum cell (11) withholds every location and modality here, but not the overall', async () => {
    const result = await getMeasurementCompleteness(warehouse().db, { filters: PHQ9, scope: ALL });
    expect(result.min_cell).toBe(11);
    expect(result.by_location.every((row) => row.suppressed)).toBe(true);
    expect(result.overall.episodes).toBe(22);
    await expect(getMeasurementCompleteness(warehouse().db, { filters: PHQ9, scope: ALL, minCell: 4 })).rejects.toThrow(
      />= 5/,
    );
  });

  test('filters narrow the episodes; the access scope cannot be widened by a filter; clinicians need the right', async () => {
    const ipt = await getMeasurementCompleteness(warehouse().db, {
      filters: { ...PHQ9, modality: ['IPT'] },
      scope: ALL,
      minCell: 5,
    });
    expect(ipt.overall.episodes).toBe(9);
    const online: AccessScope = { locations: ['Online'], clinicianUnits: false };
    const scoped = await getMeasurementCompleteness(warehouse().db, { filters: PHQ9, scope: online, minCell: 5 });
    expect(scoped.overall.episodes).toBe(10);
    expect(scoped.by_location.map((row) => row.unit)).toEqual(['Online']);
    expect(scoped.by_clinician).toBeNull();
    const widened = await getMeasurementCompleteness(warehouse().db, {
      filters: { ...PHQ9, location: ['Evanston'] },
      scope: online,
      minCell: 5,
    });
    expect(widened.overall).toMatchObject({ episodes: null, suppressed: true });
    expect(widened.by_location).toEqual([]);
    // Ended in 2025-06 (the fixtures' default); the ongoing episode is outside any period.
    const period = await getMeasurementCompleteness(warehouse().db, {
      filters: { ...PHQ9, from: '2025-06', to: '2025-06' },
      scope: ALL,
      minCell: 5,
    });
    expect(period.overall.episodes).toBe(21);
  });
});

/**
 * What the measurement table says where a figure has no value, at a minimum cell of 5, on PHQ-9,
 * worked by hand (target 90%):
 * - Evanston: 5 episodes still open, none attended: 0 finished, so no completeness (not withheld:
 *   0 discloses no one) and no session to score.
 * - Online: 6 finished of 4 sessions, PHQ-9 at 0 and 4: 6 of 6 paired, 100.0%, meets the target;
 *   1 treatment score of 4 sessions each: 6 of 24, 25.0%; no GAD-7: 0 of 24, 0.0%.
 * - Loop: 2 finished of 3 sessions (PHQ-9 at 0 and 3) and 4 open of 1 session: 2 finished is under
 *   5, so completeness is withheld; PHQ-9 scored 2 of 2 x 3 + 4 x 1 = 10 sessions, 20.0%.
 * - Chicago: 3 episodes, withheld whole.
 */
const EMPTY_EPISODES: EpisodeFixture[] = [
  ...many(5, 'evanston-open', { sessions_attended: 0, end_month: null }),
  ...many(6, 'online-paired', { location: 'Online', sessions_attended: 4, phq9: '0:12 4:8' }),
  ...many(2, 'loop-finished', { location: 'Loop', sessions_attended: 3, phq9: '0:12 3:6' }),
  ...many(4, 'loop-open', { location: 'Loop', sessions_attended: 1, end_month: null }),
  ...many(3, 'chicago', { location: 'Chicago', sessions_attended: 5, phq9: '0:10 4:5' }),
];

describeWithEpisodes('measurement table, a figure over no one', EMPTY_EPISODES, (warehouse) => {
  test('no finished episode reads "None finished", no attended session "No sessions"; "withheld" only for small groups', async () => {
    const result = await getMeasurementCompleteness(warehouse().db, { filters: PHQ9, scope: ALL, minCell: 5 });
    const table = measurementTable('location', result.by_location, result.target);
    const ids = [
      'location',
      'episodes',
      'finished',
      'paired_completeness',
      'against_target',
      'no_baseline',
      'no_final',
      'sessions_with_phq9',
      'sessions_with_gad7',
    ];
    const columns = ids.map((id) => table.columns.find((column) => column.id === id)!);
    const cells = (unit: string) =>
      columns.map((column) => column.cell(result.by_location.find((row) => row.unit === unit)!).text);
    expect(cells('Evanston')).toEqual([
      'Evanston',
      '5',
      '0',
      'None finished',
      'None finished',
      '0',
      '0',
      'No sessions',
      'No sessions',
    ]);
    expect(cells('Online')).toEqual(['Online', '6', '6', '100.0%', 'meets the target', '0', '0', '25.0%', '0.0%']);
    expect(cells('Loop')).toEqual([
      'Loop',
      '6',
      'withheld',
      'withheld',
      'withheld',
      'withheld',
      'withheld',
      '20.0%',
      '0.0%',
    ]);
    expect(cells('Chicago')).toEqual(['Chicago', ...Array(8).fill('withheld')]);
    // The file says the same in every field.
    const evanston = result.by_location.find((row) => row.unit === 'Evanston')!;
    expect(columns[3]!.csvValues(evanston)).toEqual(Array(5).fill('None finished'));
    expect(columns[7]!.csvValues(evanston)).toEqual(['No sessions']);
  });
});
