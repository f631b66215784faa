import { expect, test } from 'vitest';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import type { AccessScope } from '../../db/queries/outcome-query';
import { funnelCurve, getSafetyAudit } from '../../db/queries/quality-safety';
import { ALL_LOCATIONS as ALL, describeWithEpisodes, type EpisodeFixture, many } from '../support/episode-fixtures';

/**
 * Safety audit on hand-made episodes (PHQ-9: reliable change 6; finished = ended, >= 2 sessions).
 *
 * Evanston, IPT: 4 deteriorated (10 -> 16, exactly 6) and 6 not (10 -> 15), all 8 sessions;
 *   2 ended after 1 session (early whatever the reason); 2 dropped out after 3 (early);
 *   1 dropped out after 4 (not early); 1 dropped out after 0 (outside the dropout denominator);
 *   1 ongoing that worsened by 6 (not finished: outside both).
 *   -> deterioration 4/10; early dropout 4/15.
 * Online, CBT: 20 improved (12 -> 6); 1 completed after 3 sessions -> deterioration 0/20, early 0/21.
 * Chicago, IPSRT: 3 deteriorated -> 3/3, under the minimum cell of 5.
 * Overall: deterioration 7/33, early dropout 4/39. Funnel limits are the Wilson interval of p0 at
 * each unit's n (z 1.96 and 3.09), computed independently:
 *   p0 7/33: n 10 -> 95% 0.062308-0.521726, 99.8% 0.034291-0.671197; n 20 -> 99.8% 0.054824-0.555486
 *   p0 4/39: n 21 -> 99.8% lower 0.016545
 * Item 9 (PHQ-9 only, by start month): Evanston 2025-01 4 of 10 answered above 0; Online 2025-01
 * 0 of 10 (a GAD-7 "item 9" is ignored), 2025-02 10 of 10; Chicago 2025-01 3 answered (withheld).
 */

const DETERIORATED = '0:10:1 8:16:0';
const EPISODES: EpisodeFixture[] = [
  ...many(4, 'evanston-worse', { sessions_attended: 8, phq9: DETERIORATED }),
  ...many(6, 'evanston-same', { sessions_attended: 8, phq9: '0:10:0 8:15:0' }),
  ...many(2, 'evanston-one-session', { sessions_attended: 1 }),
  ...many(2, 'evanston-dropped-at-3', { sessions_attended: 3, end_reason: 'dropped_out' }),
  { name: 'evanston-dropped-at-4', sessions_attended: 4, end_reason: 'dropped_out' },
  { name: 'evanston-dropped-at-0', sessions_attended: 0, end_reason: 'dropped_out' },
  { name: 'evanston-ongoing', sessions_attended: 5, end_month: null, phq9: '0:10 5:16' },
  ...many(10, 'online-jan', { location: 'Online', modality: 'CBT', sessions_attended: 8, phq9: '0:12:0 8:6:0' }),
  ...many(10, 'online-feb', {
    location: 'Online',
    modality: 'CBT',
    sessions_attended: 8,
    start_month: '2025-02',
    phq9: '0:12:2 8:6:0',
  }),
  { name: 'online-short', location: 'Online', modality: 'CBT', sessions_attended: 3, gad7: '0:8:3 3:4:3' },
  ...many(3, 'chicago', { location: 'Chicago', modality: 'IPSRT', sessions_attended: 8, phq9: '0:10:2 8:16:2' }),
];

const PHQ9 = { ...NO_FILTERS, instrument: 'PHQ-9' as const };

describeWithEpisodes('getSafetyAudit', EPISODES, (warehouse) => {
  test('reliable deterioration by location: rates over the outcome cohort, funnel limits around 7/33', async () => {
    const { funnels } = await getSafetyAudit(warehouse().db, { filters: PHQ9, scope: ALL, minCell: 5 });
    const funnel = funnels.reliable_deterioration.location;
    expect([funnel.overall?.count, funnel.overall?.denominator]).toEqual([7, 33]);
    expect(funnel.rows.map((row) => [row.unit, row.suppressed, row.figure?.count, row.figure?.denominator])).toEqual([
      ['Chicago', true, undefined, undefined],
      ['Evanston', false, 4, 10],
      ['Online', false, 0, 20],
    ]);
    const evanston = funnel.rows[1]!;
    expect(evanston.limits!.l95).toBeCloseTo(0.062308, 5);
    expect(evanston.limits!.u95).toBeCloseTo(0.521726, 5);
    expect(evanston.limits!.l998).toBeCloseTo(0.034291, 5);
    expect(evanston.limits!.u998).toBeCloseTo(0.671197, 5);
    expect(evanston.position).toBe('within');
    // 0 of 20 is under the 99.8% lower limit (0.0548): flagged, in words not only colour.
    const online = funnel.rows[2]!;
    expect(online.limits!.l998).toBeCloseTo(0.054824, 5);
    expect(online.limits!.u998).toBeCloseTo(0.555486, 5);
    expect(online.position).toBe('below');
    expect(funnel.rows[0]).toMatchObject({ limits: null, position: null });
  });

  test('early dropout: ended after one session, or dropped out before session 4, of ended episodes with a session', async () => {
    const { funnels } = await getSafetyAudit(warehouse().db, { filters: PHQ9, scope: ALL, minCell: 5 });
    const funnel = funnels.early_dropout.location;
    expect([funnel.overall?.count, funnel.overall?.denominator]).toEqual([4, 39]);
    expect(funnel.rows.map((row) => [row.unit, row.figure?.count, row.figure?.denominator, row.position])).toEqual([
      ['Chicago', undefined, undefined, null],
      ['Evanston', 4, 15, 'within'],
      ['Online', 0, 21, 'below'],
    ]);
    expect(funnel.rows[2]!.limits!.l998).toBeCloseTo(0.016545, 5);
  });

  test('by modality the same episodes fall into IPT, CBT and IPSRT, in vocabulary order', async () => {
    const { funnels } = await getSafetyAudit(warehouse().db, { filters: PHQ9, scope: ALL, minCell: 5 });
    expect(
      funnels.reliable_deterioration.modality.rows.map((row) => [row.unit, row.figure?.count ?? null, row.suppressed]),
    ).toEqual([
      ['IPT', 4, false],
      ['CBT', 0, false],
      ['IPSRT', null, true],
    ]);
  });

  test('the funnel curve runs from the minimum cell to the largest unit, narrowing as n grows', async () => {
    const { funnels } = await getSafetyAudit(warehouse().db, { filters: PHQ9, scope: ALL, minCell: 5 });
    const curve = funnels.reliable_deterioration.location.curve;
    expect(curve[0]!.n).toBe(5);
    expect(curve.at(-1)!.n).toBe(20);
    for (let i = 1; i < curve.length; i += 1) {
      expect(curve[i]!.n).toBeGreaterThan(curve[i - 1]!.n);
      expect(curve[i]!.u998 - curve[i]!.l998).toBeLessThan(curve[i - 1]!.u998 - curve[i - 1]!.l998);
      expect(curve[i]!.l998).toBeLessThanOrEqual(curve[i]!.l95);
    }
    expect(funnelCurve(0.2, 20, 10)).toEqual([]);
  });

  test('item 9 above 0 by location and start month, PHQ-9 answers only, small cells withheld', async () => {
    const { item9 } = await getSafetyAudit(warehouse().db, { filters: PHQ9, scope: ALL, minCell: 5 });
    expect(
      item9.map((row) => [row.month, row.location, row.suppressed, row.figure?.count, row.figure?.denominator]),
    ).toEqual([
      ['2025-01', 'Chicago', true, undefined, undefined],
      ['2025-01', 'Evanston', false, 4, 10],
      ['2025-01', 'Online', false, 0, 10],
      ['2025-02', 'Online', false, 10, 10],
    ]);
  });

  test('the instrument chooses the cohort: on GAD-7 no one is paired, so deterioration has no denominator', async () => {
    const { funnels } = await getSafetyAudit(warehouse().db, {
      filters: { ...PHQ9, instrument: 'GAD-7' },
      scope: ALL,
      minCell: 5,
    });
    expect(funnels.reliable_deterioration.location.overall).toBeNull();
    expect(funnels.reliable_deterioration.location.curve).toEqual([]);
    // Early dropout does not depend on the instrument.
    expect(funnels.early_dropout.location.overall?.count).toBe(4);
  });

  test('scope and filters: a director of Online sees only Online; the default minimum cell withholds Evanston', async () => {
    const online: AccessScope = { locations: ['Online'], clinicianUnits: false };
    const scoped = await getSafetyAudit(warehouse().db, { filters: PHQ9, scope: online, minCell: 5 });
    expect(scoped.funnels.early_dropout.location.rows.map((row) => row.unit)).toEqual(['Online']);
    expect(scoped.item9.map((row) => row.location)).toEqual(['Online', 'Online']);
    const widened = await getSafetyAudit(warehouse().db, {
      filters: { ...PHQ9, location: ['Evanston'] },
      scope: online,
    });
    expect(widened.funnels.early_dropout.location.rows).toEqual([]);
    const byDefault = await getSafetyAudit(warehouse().db, { filters: PHQ9, scope: ALL });
    expect(byDefault.funnels.reliable_deterioration.location.rows.map((row) => row.suppressed)).toEqual([
      true,
      true,
      false,
    ]);
  });
});
