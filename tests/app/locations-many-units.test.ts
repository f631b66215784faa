import { describe, expect, test } from 'vitest';
import { loader as locationsCsv } from '../../app/routes/locations[.]csv';
import { loader as locationsLoader } from '../../app/routes/locations';
import {
  FUNNEL_TABLE_MAX_UNITS,
  funnelTableCutNote,
  funnelTableRows,
  funnelWithheldNote,
} from '../../app/utils/funnel-columns';
import { describeWithEpisodes, type EpisodeFixture, many } from '../support/episode-fixtures';
import { type Loader, loaderCalls } from '../support/loader-calls';

/**
 * A funnel's table on the page lists every unit up to FUNNEL_TABLE_MAX_UNITS (100); past that, only
 * the units outside the 99.8% limits, while the chart places every unit and the CSV lists every one.
 * Until session 13 the clinician funnel of the million-episode bench warehouse (3,691 clinicians)
 * was an 8.8 MB page (6.9 MB of it the table) that Chromium had not hydrated after five minutes.
 */

type Position = 'above' | 'below' | 'within';
const unitRow = (unit: string, position: Position | null) => ({ unit, suppressed: position === null, position });

describe('which units the table lists (hand-made rows)', () => {
  test('100 units: every one, nothing cut', () => {
    const rows = Array.from({ length: FUNNEL_TABLE_MAX_UNITS }, (_, index) =>
      unitRow(`u${String(index).padStart(3, '0')}`, index === 0 ? 'above' : 'within'),
    );
    expect(FUNNEL_TABLE_MAX_UNITS).toBe(100);
    expect(funnelTableRows(rows)).toEqual({ rows, cut: null });
  });

  test('101 units: those outside the 99.8% limits, in the order given (by name)', () => {
    const rows = Array.from({ length: 101 }, (_, index) => unitRow(`u${String(index).padStart(3, '0')}`, 'within'));
    rows[7] = unitRow('u007', 'below');
    rows[40] = unitRow('u040', 'above');
    rows[90] = unitRow('u090', 'below');
    rows[3] = unitRow('u003', null);
    rows[4] = unitRow('u004', null);
    const { rows: listed, cut } = funnelTableRows(rows);
    expect(listed.map((row) => row.unit)).toEqual(['u007', 'u040', 'u090']);
    expect(cut).toEqual({ units: 101, outside: 3, within: 96, withheld: 2 });
    expect(funnelTableCutNote(cut!, 'clinician')).toBe(
      'Of 101 clinicians, this table lists the 3 outside the 99.8% limits, by name. The 96 within the limits are on the chart; they and the 2 withheld are listed in the CSV, which has every one.',
    );
  });

  test('more units outside than the table lists: the first 100 by name, and the note says so', () => {
    const rows = Array.from({ length: 250 }, (_, index) =>
      unitRow(`u${String(index).padStart(3, '0')}`, index % 2 === 0 ? 'above' : 'within'),
    );
    const { rows: listed, cut } = funnelTableRows(rows);
    expect(listed).toHaveLength(100);
    expect(listed[0]!.unit).toBe('u000');
    expect(listed.at(-1)!.unit).toBe('u198');
    expect(cut).toEqual({ units: 250, outside: 125, within: 125, withheld: 0 });
    expect(funnelTableCutNote(cut!, 'clinician')).toBe(
      'Of 250 clinicians, this table lists the first 100 by name of the 125 outside the 99.8% limits. The 125 within the limits are on the chart; they are listed in the CSV, which has every one.',
    );
  });

  test('none outside: the table lists none and says why', () => {
    const rows = Array.from({ length: 120 }, (_, index) => unitRow(`u${String(index).padStart(3, '0')}`, 'within'));
    const { rows: listed, cut } = funnelTableRows(rows);
    expect(listed).toEqual([]);
    expect(funnelTableCutNote(cut!, 'location')).toBe(
      'Of 120 locations, this table lists none: none is outside the 99.8% limits. The 120 within the limits are on the chart; they are listed in the CSV, which has every one.',
    );
  });

  test('the withheld note sends the reader to the CSV when the table does not list them', () => {
    const rows = [unitRow('a', null), unitRow('b', 'within')];
    expect(funnelWithheldNote(rows, { unit: 'clinician', minCell: 11 })).toMatch(/; listed in the table below\.$/);
    expect(funnelWithheldNote(rows, { unit: 'clinician', minCell: 11, inTable: false })).toMatch(
      /^Not plotted, withheld: 1 clinician .*; listed in the CSV\.$/,
    );
  });
});

/**
 * Worked by hand, PHQ-9 response (a 50% fall from baseline), every episode in one stratum (same
 * condition, baseline 20), so the adjusted rate is the raw one. 108 clinicians of 11 episodes, 4
 * responding; "star" 11 of 11; "low" 0 of 40; "tiny" 0 of 3, withheld (under 11), and with it the
 * next smallest (secondary suppression, ADR 010). Overall 443 / 1,242 = 35.7%. The 99.8% limits at
 * 11 patients are 35.7% +- 3.09 x sqrt(0.357 x 0.643 / 11) = -8.9% to 80.3%: 4 of 11 (36.4%) is
 * within, 11 of 11 above; at 40 patients 12.3% to 59.1%: 0 of 40 below. 111 clinicians in all.
 */
const responding = { sessions_attended: 8, phq9: '0:20 8:8' };
const notResponding = { sessions_attended: 8, phq9: '0:20 8:18' };
const EPISODES: EpisodeFixture[] = [
  ...Array.from({ length: 108 }, (_, index) => {
    const clinician = `c${String(index).padStart(3, '0')}`;
    return [
      ...many(4, `${clinician}-r`, { ...responding, clinician }),
      ...many(7, `${clinician}-n`, { ...notResponding, clinician }),
    ];
  }).flat(),
  ...many(11, 'star-r', { ...responding, clinician: 'star' }),
  ...many(40, 'low-n', { ...notResponding, clinician: 'low' }),
  ...many(3, 'tiny-n', { ...notResponding, clinician: 'tiny' }),
];

interface LocationsPage {
  funnel: {
    overall_rate: number;
    rows: Array<{ unit: string; observed: number; denominator: number; position: string }>;
  };
  units: number;
  tableCut: { units: number; outside: number; within: number; withheld: number } | null;
  points: Array<{ unit: string; denominator: number; rate: number; position: string }>;
  withheldNote: string | null;
}

describeWithEpisodes('the clinician funnel of a service with more than 100 clinicians', EPISODES, (warehouse) => {
  const { as, file } = loaderCalls(warehouse);

  test('the page lists the 2 outside the limits; the chart places the 109 not withheld; the CSV has all 111', async () => {
    const answer = await as('director', '/locations?metric=response&unit=clinician', locationsLoader as Loader);
    expect(answer.status).toBe(200);
    const page = answer.value as LocationsPage;
    expect(page.funnel.overall_rate).toBeCloseTo(443 / 1242, 12);
    expect(
      page.funnel.rows.map((row) => [row.unit.replace(/-+$/, ''), row.observed, row.denominator, row.position]),
    ).toEqual([
      ['low', 0, 40, 'below'],
      ['star', 11, 11, 'above'],
    ]);
    expect(page.units).toBe(111);
    expect(page.tableCut).toEqual({ units: 111, outside: 2, within: 107, withheld: 2 });
    expect(page.points).toHaveLength(109);
    expect(page.points.filter((point) => point.position === 'within')).toHaveLength(107);
    expect(page.withheldNote).toMatch(/^Not plotted, withheld: 2 clinicians .*; listed in the CSV\.$/);

    const csv = await file('director', '/locations.csv?metric=response&unit=clinician', locationsCsv as Loader);
    expect(csv.rows).toHaveLength(111);
    expect(csv.rows.filter((row) => row.position === 'withheld')).toHaveLength(2);
  });

  test('by location the same service is one unit, listed whole', async () => {
    const page = (await as('director', '/locations?metric=response', locationsLoader as Loader)).value as LocationsPage;
    expect(page.tableCut).toBeNull();
    expect(page.funnel.rows).toHaveLength(1);
    expect(page.withheldNote).toBeNull();
  });
});
