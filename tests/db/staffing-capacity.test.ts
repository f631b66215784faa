import { expect, test } from 'vitest';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { getStaffingCapacity } from '../../db/queries/staffing-capacity';
import { ALL_LOCATIONS as ALL, describeWithEpisodes, ensureRoster } from '../support/episode-fixtures';

/**
 * Capacity from a hand-made roster, FTE split evenly over the modalities practised:
 *   c1 Evanston IPT+CBT 1.0 (0.5 each); c1 also Online IPT 0.2; c2 Evanston IPT 0.8;
 *   c3 Evanston CBT+IPSRT+DIT 0.6 (0.2 each); c4 Online CBT 1.0; c5 Online IPT+CBT 0.5 (0.25 each).
 * Evanston: IPT 2 clinicians 1.3 FTE, CBT 2 0.7, IPSRT 1 0.2, DIT 1 0.2; 3 clinicians, 2.4 FTE.
 * Online: IPT 2 (c1, c5) 0.45, CBT 2 (c4, c5) 1.25; 3 clinicians, 1.7 FTE.
 * By modality: IPT c1 c2 c5 = 3, 1.75; CBT c1 c3 c4 c5 = 4, 1.95; IPSRT 1, 0.2; DIT 1, 0.2.
 * Total: 5 distinct clinicians, 4.1 FTE; at 25 sessions per FTE-week, 102.5 sessions.
 */

const ROSTER: ReadonlyArray<readonly [string, string, string[], number]> = [
  ['c1', 'Evanston', ['IPT', 'CBT'], 1.0],
  ['c1', 'Online', ['IPT'], 0.2],
  ['c2', 'Evanston', ['IPT'], 0.8],
  ['c3', 'Evanston', ['CBT', 'IPSRT', 'DIT'], 0.6],
  ['c4', 'Online', ['CBT'], 1.0],
  ['c5', 'Online', ['IPT', 'CBT'], 0.5],
];

describeWithEpisodes('getStaffingCapacity', [], (warehouse) => {
  const capacity = async (options: Partial<Parameters<typeof getStaffingCapacity>[1]> = {}) => {
    await ensureRoster(
      warehouse(),
      ROSTER.map(([name, location, modalities, fte]) => ({ name, location, modalities, fte })),
    );
    return getStaffingCapacity(warehouse().db, { filters: NO_FILTERS, scope: ALL, ...options });
  };
  const rounded = (value: number) => Number(value.toFixed(9));

  test('clinicians and FTE per location and modality, FTE split evenly, sessions at 25 per FTE-week', async () => {
    const result = await capacity();
    expect(result.sessions_per_fte_week).toBe(25);
    expect(
      result.rows.map((row) => [
        row.location,
        row.modality,
        row.clinicians,
        rounded(row.fte),
        rounded(row.weekly_sessions),
      ]),
    ).toEqual([
      ['Evanston', 'IPT', 2, 1.3, 32.5],
      ['Evanston', 'CBT', 2, 0.7, 17.5],
      ['Evanston', 'IPSRT', 1, 0.2, 5],
      ['Evanston', 'DIT', 1, 0.2, 5],
      ['Online', 'IPT', 2, 0.45, 11.25],
      ['Online', 'CBT', 2, 1.25, 31.25],
    ]);
  });

  test('totals count each clinician once per location, per modality and overall', async () => {
    const result = await capacity();
    expect(result.by_location.map((row) => [row.location, row.clinicians, rounded(row.fte)])).toEqual([
      ['Evanston', 3, 2.4],
      ['Online', 3, 1.7],
    ]);
    expect(result.by_modality.map((row) => [row.modality, row.clinicians, rounded(row.fte)])).toEqual([
      ['IPT', 3, 1.75],
      ['CBT', 4, 1.95],
      ['IPSRT', 1, 0.2],
      ['DIT', 1, 0.2],
    ]);
    expect([result.total.clinicians, rounded(result.total.fte), rounded(result.total.weekly_sessions)]).toEqual([
      5, 4.1, 102.5,
    ]);
  });

  test('sessions per FTE-week are configurable within reason', async () => {
    const result = await capacity({ sessionsPerFteWeek: 20 });
    expect(rounded(result.rows[0]!.weekly_sessions)).toBe(26);
    await expect(capacity({ sessionsPerFteWeek: 0 })).rejects.toThrow(RangeError);
  });

  test('scope and filters: the practised modality is filtered, the FTE split stays over all modalities', async () => {
    const online = await capacity({ scope: { locations: ['Online'], clinicianUnits: false } });
    expect(online.rows.map((row) => row.location)).toEqual(['Online', 'Online']);
    const widened = await capacity({
      scope: { locations: ['Online'], clinicianUnits: false },
      filters: { ...NO_FILTERS, location: ['Evanston'] },
    });
    expect(widened.rows).toEqual([]);
    expect(widened.total).toEqual({ clinicians: 0, fte: 0, weekly_sessions: 0 });
    const ipsrt = await capacity({ filters: { ...NO_FILTERS, modality: ['IPSRT'] } });
    expect(ipsrt.rows.map((row) => [row.location, row.modality, rounded(row.fte)])).toEqual([
      ['Evanston', 'IPSRT', 0.2],
    ]);
  });
});
