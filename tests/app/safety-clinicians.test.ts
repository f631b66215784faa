import { expect, test } from 'vitest';
import { loader as safetyLoader } from '../../app/routes/quality.safety';
import { loader as safetyCsv } from '../../app/routes/quality.safety[.]csv';
import { drillDownHref } from '../../app/utils/drill-down';
import type { SafetyFunnel } from '../../app/utils/outcome-types';
import { safetyFunnelTable } from '../../app/utils/quality-tables';
import { getSafetyAudit } from '../../db/queries/quality-safety';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { describeWithEpisodes, type EpisodeFixture, many } from '../support/episode-fixtures';
import { type Loader, loaderCalls } from '../support/loader-calls';

/**
 * The Safety page's funnels by clinician (quality and admin), on hand-made Evanston IPT episodes,
 * all finished and paired (PHQ-9 reliable change 6; minimum cell 11):
 *   clin-a 20: 12 reliably worse (10 -> 17), 8 not (10 -> 9)     -> 12/20 = 60%
 *   clin-b 20: none worse                                        ->  0/20
 *   clin-c  5: none worse                                        -> withheld (under 11)
 *   no clinician recorded 15: none worse                         -> in no clinician's row, in the overall rate
 * Overall 12/60 = 20%. Its 99.8% limits at 20 (Wilson, z = 3.090232; worked in Python):
 * 4.98% to 54.41%, so clin-a is above them and clin-b below.
 */
const WORSE = '0:10 8:17';
const NOT_WORSE = '0:10 8:9';
const EPISODES: EpisodeFixture[] = [
  ...many(12, 'a-worse', { clinician: 'clin-a', phq9: WORSE }),
  ...many(8, 'a-not', { clinician: 'clin-a', phq9: NOT_WORSE }),
  ...many(20, 'b', { clinician: 'clin-b', phq9: NOT_WORSE }),
  ...many(5, 'c', { clinician: 'clin-c', phq9: NOT_WORSE }),
  ...many(15, 'none', { clinician: null, phq9: NOT_WORSE }),
];

interface Page {
  safety: { funnels: { reliable_deterioration: { location: SafetyFunnel } } };
  clinicians: Partial<Record<string, { funnel: SafetyFunnel; cut: unknown; points: Array<{ unit: string }> }>>;
  clinicianChoice: boolean;
}

describeWithEpisodes('Safety page: funnels by clinician', EPISODES, (warehouse) => {
  const { as, listed, file } = loaderCalls(warehouse);
  const page = async (path: string) => {
    const { status, value } = await as('quality', path, safetyLoader as Loader);
    expect(status, path).toBe(200);
    return value as Page;
  };

  test('by clinician: each by shortened pseudonym, placed against the limits around everyone; the small one withheld', async () => {
    const { clinicians, clinicianChoice } = await page('/quality/safety?unit=clinician');
    expect(clinicianChoice).toBe(true);
    const { funnel, cut, points } = clinicians.reliable_deterioration!;
    expect(funnel.overall).toMatchObject({ count: 12, denominator: 60 });
    expect(
      funnel.rows.map((row) => [
        row.unit,
        row.suppressed,
        row.figure && `${row.figure.count}/${row.figure.denominator}`,
        row.position,
      ]),
    ).toEqual([
      ['clin-a------', false, '12/20', 'above'],
      ['clin-b------', false, '0/20', 'below'],
      ['clin-c------', true, null, null],
    ]);
    expect(funnel.rows[0]!.limits!.l998).toBeCloseTo(0.0497532545343508, 12);
    expect(funnel.rows[0]!.limits!.u998).toBeCloseTo(0.5441489942400822, 12);
    // Three clinicians: the table lists every one; the chart places the two shown.
    expect(cut).toBeNull();
    expect(points.map((point) => point.unit)).toEqual(['clin-a------', 'clin-b------']);
    expect(clinicians.early_dropout!.funnel.rows).toHaveLength(3);
    // The full key never leaves the server.
    expect(JSON.stringify(clinicians)).not.toContain('clin-a'.padEnd(64, '-'));
  });

  test("a clinician's count opens the list of exactly their episodes counted", async () => {
    const path = '/quality/safety?unit=clinician';
    const { clinicians } = await page(path);
    const table = safetyFunnelTable(clinicians.reliable_deterioration!.funnel);
    const rate = table.columns.find((column) => column.drill)!;
    const current = new URL(`http://localhost${path}`).searchParams;
    const [a, b] = table.rows;
    expect(await listed(drillDownHref(current, rate.drill!(a!)!))).toBe(12);
    // None worse: nothing to list.
    expect(rate.drill!(b!)).toBeNull();
  });

  test('by location unless asked; the clinician files only then, with every clinician', async () => {
    const { clinicians, safety } = await page('/quality/safety');
    expect(clinicians).toEqual({});
    expect(safety.funnels.reliable_deterioration.location.overall).toMatchObject({ count: 12, denominator: 60 });
    const csv = await file(
      'quality',
      '/quality/safety.csv?unit=clinician&table=reliable_deterioration-clinician',
      safetyCsv as Loader,
    );
    expect(csv.rows.map((row) => [row.clinician, row.rate_count, row.position])).toEqual([
      ['clin-a------', '12', 'above the 99.8% limits'],
      ['clin-b------', '0', 'below the 99.8% limits'],
      ['clin-c------', 'withheld', 'withheld'],
    ]);
    expect(
      (await as('quality', '/quality/safety.csv?table=reliable_deterioration-clinician', safetyCsv as Loader)).status,
    ).toBe(404);
  });

  test('the audit refuses clinicians to a caller not allowed them', async () => {
    const question = { filters: NO_FILTERS, scope: { locations: null, clinicianUnits: false }, clinicians: true };
    await expect(getSafetyAudit(warehouse().db, question)).rejects.toThrow(/not in scope/);
  });
});
