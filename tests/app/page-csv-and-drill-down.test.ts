import { expect, test } from 'vitest';
import { loader as compareLoader } from '../../app/routes/compare';
import { loader as locationsLoader } from '../../app/routes/locations';
import { loader as locationsCsv } from '../../app/routes/locations[.]csv';
import { loader as accessLoader } from '../../app/routes/quality.access';
import { loader as accessCsv } from '../../app/routes/quality.access[.]csv';
import { loader as episodesLoader } from '../../app/routes/quality.episodes';
import { loader as measurementLoader } from '../../app/routes/quality.measurement';
import { loader as measurementCsv } from '../../app/routes/quality.measurement[.]csv';
import { loader as safetyLoader } from '../../app/routes/quality.safety';
import { loader as safetyCsv } from '../../app/routes/quality.safety[.]csv';
import { loader as capacityCsv } from '../../app/routes/staffing.capacity[.]csv';
import { loader as demandCsv } from '../../app/routes/staffing.demand[.]csv';
import { drillDownHref, funnelCellLink, outcomeCellLink } from '../../app/utils/drill-down';
import { describeWithEpisodes, ensureRoster, type EpisodeFixture, many } from '../support/episode-fixtures';
import { type Loader, loaderCalls, settle } from '../support/loader-calls';

/**
 * The quality and staffing CSV files and the drill-down links, on hand-made episodes (minimum cell
 * 11, the default). Worked by hand (PHQ-9: caseness 10, reliable change 6):
 *
 * Evanston IPT, started 2025-01 (15): 3 recovered with item 9 = 1 at baseline (15 -> 5),
 *   5 recovered (15 -> 5), 4 not (15 -> 12), 3 finished with no score.
 *   -> cohort 12, recovery 8/12; item 9 answered 12, above 0 3.
 * Evanston CBT, started 2025-03 (11), clinician clin-ev (the only clinician recorded): 12 -> 6 with
 *   item 9 = 2 at baseline: cohort 11, recovery 11/11, item 9 above 0 11 of 11.
 * Online CBT, started 2025-01 (14): 5 recovered (15 -> 5), 7 not (15 -> 14), 2 baseline only (12);
 *   waits 30 days except 4 of the 7 at 60 -> seen within 42 days 10/14, waited over 42 days 4.
 * Chicago IPT (4): recovered; under the minimum cell everywhere.
 * "=cmd|calc" IPSRT, started 2025-02 (11): finished, no score (a location a spreadsheet would run).
 *
 * So by location: Evanston 26 episodes, 26 finished, cohort 23 (88.5%), 3 without a baseline,
 * recovery 19 of 23; Online 14, 14, 12 (85.7%), 2 without a final score, recovery 5 of 12.
 */
const EPISODES: EpisodeFixture[] = [
  ...many(3, 'ev-ipt-item9', { phq9: '0:15:1 10:5:0' }),
  ...many(5, 'ev-ipt-rec', { phq9: '0:15:0 10:5:0' }),
  ...many(4, 'ev-ipt-not', { phq9: '0:15:0 10:12:0' }),
  ...many(3, 'ev-ipt-none', {}),
  ...many(11, 'ev-cbt', { modality: 'CBT', clinician: 'clin-ev', start_month: '2025-03', phq9: '0:12:2 6:6:0' }),
  ...many(5, 'on-rec', { location: 'Online', modality: 'CBT', wait_days: 30, phq9: '0:15 8:5' }),
  ...many(3, 'on-not-soon', { location: 'Online', modality: 'CBT', wait_days: 30, phq9: '0:15 8:14' }),
  ...many(4, 'on-not-late', { location: 'Online', modality: 'CBT', wait_days: 60, phq9: '0:15 8:14' }),
  ...many(2, 'on-base', { location: 'Online', modality: 'CBT', wait_days: 30, phq9: '0:12' }),
  ...many(4, 'chi', { location: 'Chicago', phq9: '0:15 10:5' }),
  ...many(11, 'formula', { location: '=cmd|calc', modality: 'IPSRT', start_month: '2025-02' }),
];

describeWithEpisodes('quality and staffing CSV files, drill-down links', EPISODES, (warehouse) => {
  const { context, as, listed, file } = loaderCalls(warehouse);

  test('only quality and admin get the quality files; every signed-in role gets the staffing files', async () => {
    const quality: Array<[string, Loader]> = [
      ['/quality/measurement.csv', measurementCsv as Loader],
      ['/quality/safety.csv', safetyCsv as Loader],
      ['/quality/access.csv', accessCsv as Loader],
    ];
    const staffing: Array<[string, Loader]> = [
      ['/staffing/demand.csv', demandCsv as Loader],
      ['/staffing/capacity.csv', capacityCsv as Loader],
    ];
    for (const role of ['leadership', 'director', 'quality', 'admin'] as const) {
      const who = { role, locations: role === 'director' ? ['Evanston'] : null };
      for (const [path, loader] of quality) {
        expect((await as(who, path, loader)).status, `${role} ${path}`).toBe(
          role === 'quality' || role === 'admin' ? 200 : 403,
        );
      }
      for (const [path, loader] of staffing) {
        const own = role === 'director' ? `${path}?location=Evanston` : path;
        expect((await as(who, own, loader)).status, `${role} ${own}`).toBe(200);
      }
    }
    // No session: to sign-in, coming back after.
    const stranger = await settle(() =>
      (measurementCsv as Loader)({
        request: new Request('http://localhost/quality/measurement.csv'),
        context: context(),
        params: {},
      }),
    );
    expect(stranger.status).toBe(302);
    // A director's file is of their own locations only: another is refused, not emptied.
    expect(
      (
        await as(
          { role: 'director', locations: ['Evanston'] },
          '/staffing/demand.csv?location=Online',
          demandCsv as Loader,
        )
      ).status,
    ).toBe(403);
    expect((await as('quality', '/quality/measurement.csv?table=nothing', measurementCsv as Loader)).status).toBe(404);
  });

  test('measurement file: the page loader figures, withheld cells withheld, formula-looking names escaped, audited', async () => {
    const page = (await as('quality', '/quality/measurement', measurementLoader as Loader)).value as {
      measurement: { by_location: Array<{ unit: string | null; episodes: number | null }> };
    };
    const csv = await file('quality', '/quality/measurement.csv?table=location', measurementCsv as Loader);
    // The page's rows in its order; the formula-looking name written as text (a leading apostrophe).
    expect(page.measurement.by_location.map((row) => row.unit)).toEqual(['=cmd|calc', 'Chicago', 'Evanston', 'Online']);
    expect(csv.rows.map((row) => row.location)).toEqual(["'=cmd|calc", 'Chicago', 'Evanston', 'Online']);
    expect(csv.comments).toContain('Paired completeness target: 90%');
    const byName = Object.fromEntries(csv.rows.map((row) => [row.location, row]));
    expect(byName.Evanston).toMatchObject({
      episodes: '26',
      finished: '26',
      paired_completeness_count: '23',
      paired_completeness_denominator: '26',
      paired_completeness_pct: '88.5',
      against_target: 'below the target',
      no_baseline: '3',
      no_final: '0',
    });
    expect(byName.Online).toMatchObject({ episodes: '14', paired_completeness_count: '12', no_final: '2' });
    // Chicago's four episodes: every figure withheld, as the page shows it, never 0.
    const chicago = Object.entries(byName.Chicago!).filter(([name]) => name !== 'location');
    expect(chicago.every(([, value]) => value === 'withheld')).toBe(true);
    expect(page.measurement.by_location.find((row) => row.unit === 'Chicago')!.episodes).toBeNull();
    // The file's text: the formula-looking location is written as text.
    expect(byName["'=cmd|calc"]).toMatchObject({ episodes: '11', paired_completeness_count: '0' });
    const audit = await warehouse()
      .db.selectFrom('audit_event')
      .select(['action', 'rows_out', 'role'])
      .where('route', '=', '/quality/measurement.csv')
      .where('action', '=', 'export')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'export', rows_out: 4, role: 'quality' });
  });

  test('safety and access files hold the figures of their tables', async () => {
    const item9 = await file('quality', '/quality/safety.csv?table=item9', safetyCsv as Loader);
    expect(
      item9.rows.map((row) => [row.start_month, row.location, row.item9_above_0_count, row.item9_above_0_denominator]),
    ).toEqual(
      expect.arrayContaining([
        ['2025-01', 'Evanston', '3', '12'],
        ['2025-03', 'Evanston', '11', '11'],
      ]),
    );
    const funnel = await file(
      'quality',
      '/quality/safety.csv?table=reliable_deterioration-location',
      safetyCsv as Loader,
    );
    expect(funnel.header.slice(0, 2)).toEqual(['location', 'rate_pct']);
    expect(funnel.rows.find((row) => row.location === 'Chicago')).toMatchObject({
      rate_pct: 'withheld',
      position: 'withheld',
    });
    const access = await file('quality', '/quality/access.csv?table=location', accessCsv as Loader);
    expect(access.rows.find((row) => row.location === 'Online')).toMatchObject({
      episodes_with_wait: '14',
      median_days: '30.0',
      within_42_days_count: '10',
      within_42_days_denominator: '14',
      // 10 of 14 is 71.4%, under the NHS standard's 75% within 6 weeks; all 14 within 18 weeks, over its 95%.
      within_42_days_against_standard: 'below the standard',
      within_126_days_against_standard: 'meets the standard',
      over_42_days: '4',
      over_126_days: '0',
    });
  });

  test('staffing files: demand by month (a withheld month stays withheld) and capacity of the roster', async () => {
    const demand = await file('leadership', '/staffing/demand.csv?table=modality', demandCsv as Loader);
    expect(demand.header.slice(1, 13)).toEqual([
      '2024-07',
      '2024-08',
      '2024-09',
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
    ]);
    const byModality = Object.fromEntries(demand.rows.map((row) => [row.modality, row]));
    expect(byModality.IPT).toMatchObject({ '2025-01': '19', '2025-02': '0', total: '19' });
    expect(byModality.CBT).toMatchObject({ '2025-01': '14', '2025-03': '11', total: '25' });
    const local = await file('leadership', '/staffing/demand.csv?table=modality-location', demandCsv as Loader);
    const chicago = local.rows.find((row) => row.location === 'Chicago')!;
    expect(chicago['2025-01']).toBe('withheld');
    expect(local.rows.find((row) => row.location === "'=cmd|calc")).toMatchObject({
      modality: 'IPSRT',
      '2025-02': '11',
    });

    await ensureRoster(warehouse(), [
      { name: 'clin-a', location: 'Evanston', modalities: ['IPT', 'CBT'], fte: 1 },
      { name: 'clin-b', location: 'Online', modalities: ['CBT'], fte: 0.5 },
    ]);
    const capacity = await file('leadership', '/staffing/capacity.csv?spw=20', capacityCsv as Loader);
    expect(capacity.comments).toContain('Sessions per FTE-week: 20');
    expect(capacity.rows).toEqual([
      { location: 'Evanston', modality: 'IPT', clinicians: '1', fte: '0.50', weekly_sessions: '10.0' },
      { location: 'Evanston', modality: 'CBT', clinicians: '1', fte: '0.50', weekly_sessions: '10.0' },
      { location: 'Online', modality: 'CBT', clinicians: '1', fte: '0.50', weekly_sessions: '10.0' },
    ]);
    const byLocation = await file('leadership', '/staffing/capacity.csv?spw=20&table=location', capacityCsv as Loader);
    expect(byLocation.rows[0]).toEqual({ location: 'Evanston', clinicians: '1', fte: '1.00', weekly_sessions: '20.0' });
  });

  test('compare: each count and rate links to a list of exactly that many episodes, for quality only', async () => {
    const path = '/compare?metric=recovery';
    const page = (await as('quality', path, compareLoader as Loader)).value as {
      result: { rows: Array<Parameters<ReturnType<typeof outcomeCellLink>>[0]> };
      episodeLinks: boolean;
    };
    expect(page.episodeLinks).toBe(true);
    const link = outcomeCellLink(new URLSearchParams('metric=recovery'), ['location', 'modality']);
    const row = (location: string, modality: string) =>
      page.result.rows.find((each) => each.group.location === location && each.group.modality === modality)!;
    const cases: Array<[string, string, string, number]> = [
      ['Evanston', 'IPT', 'recovery', 8],
      ['Evanston', 'IPT', 'outcome_cohort', 12],
      ['Evanston', 'IPT', 'episodes', 15],
      ['Evanston', 'CBT', 'recovery', 11],
      ['Online', 'CBT', 'recovery', 5],
      ['Online', 'CBT', 'reliable_improvement', 5],
      ['Online', 'CBT', 'finished', 14],
    ];
    for (const [location, modality, column, expected] of cases) {
      const shown = row(location, modality);
      const figure = column in shown ? (shown as unknown as Record<string, unknown>)[column] : null;
      const pageCount = typeof figure === 'number' ? figure : (figure as { count: number }).count;
      expect(pageCount, `${location} ${modality} ${column} on the page`).toBe(expected);
      expect(await listed(link(shown, column)!), `${location} ${modality} ${column} listed`).toBe(expected);
    }
    // Another dimension: by age band, IPT's 25-34 group is Evanston's 12 and Chicago's 4 (all 16 in the cohort).
    const byAge = (await as('quality', '/compare?metric=recovery&by=age_band', compareLoader as Loader))
      .value as typeof page;
    const ipt = byAge.result.rows.find((each) => each.group.age_band === '25-34' && each.group.modality === 'IPT')!;
    const ageLink = outcomeCellLink(new URLSearchParams('metric=recovery&by=age_band'), ['age_band', 'modality']);
    expect([ipt.outcome_cohort, ipt.recovery?.count]).toEqual([16, 12]);
    expect(await listed(ageLink(ipt, 'recovery')!)).toBe(12);
    expect(await listed(ageLink(ipt, 'outcome_cohort')!)).toBe(16);
    // Withheld groups link nowhere; neither do columns that are not counts of episodes.
    expect(link(row('Chicago', 'IPT'), 'recovery')).toBeNull();
    expect(link(row('Evanston', 'IPT'), 'mean_change')).toBeNull();
    for (const role of ['leadership', 'director'] as const) {
      const other = (await as({ role, locations: null }, path, compareLoader as Loader)).value as {
        episodeLinks: boolean;
      };
      expect(other.episodeLinks, role).toBe(false);
      expect((await as(role, '/quality/episodes?metric=recovery', episodesLoader as Loader)).status).toBe(403);
    }
  });

  test('the episode list asked for a page past its last shows its last page, and says which was asked for', async () => {
    // 55 episodes (26 Evanston, 14 Online, 4 Chicago, 11 "=cmd|calc"): one page of 2,000.
    const { status, value } = await as('quality', '/quality/episodes?page=3', episodesLoader as Loader);
    expect(status).toBe(200);
    const past = value as {
      page: number;
      pages: number;
      askedPastLast: number | null;
      list: { total: number; unlisted: number; offset: number; rows: unknown[] };
    };
    expect([past.page, past.pages, past.askedPastLast]).toEqual([1, 1, 3]);
    expect([past.list.total, past.list.unlisted, past.list.offset, past.list.rows.length]).toEqual([55, 0, 0, 55]);
    const first = (await as('quality', '/quality/episodes', episodesLoader as Loader)).value as typeof past;
    expect([first.page, first.askedPastLast]).toEqual([1, null]);
  });

  test('locations funnel: observed and patients link to lists of those sizes', async () => {
    const page = (await as('quality', '/locations?metric=recovery', locationsLoader as Loader)).value as {
      funnel: { rows: Array<Parameters<ReturnType<typeof funnelCellLink>>[0]> };
      episodeLinks: boolean;
    };
    expect(page.episodeLinks).toBe(true);
    const link = funnelCellLink(new URLSearchParams('metric=recovery'), { unit: 'location', metric: 'recovery' });
    const evanston = page.funnel.rows.find((row) => row.unit === 'Evanston')!;
    const online = page.funnel.rows.find((row) => row.unit === 'Online')!;
    // Online's 5 of 12 is withheld with Chicago's 4: the overall rate (28 of 39) less Evanston's
    // 19 of 23 would otherwise leave Chicago's alone (secondary suppression, ADR 010).
    expect([evanston.observed, evanston.denominator, online.observed, online.denominator]).toEqual([
      19,
      23,
      null,
      null,
    ]);
    expect(await listed(link(evanston, 'observed')!)).toBe(19);
    expect(await listed(link(evanston, 'denominator')!)).toBe(23);
    expect(link(online, 'observed')).toBeNull();
    expect(
      link(
        page.funnel.rows.find((row) => row.unit === 'Chicago')!,
        'observed',
      ),
    ).toBeNull();
    // By clinician: clin-ev's 11, all recovered; the link names the shortened pseudonym.
    const clinicians = (await as('quality', '/locations?metric=recovery&unit=clinician', locationsLoader as Loader))
      .value as typeof page;
    // Named by the first 12 characters of the pseudonym, as the episode list shows it, never the whole key.
    const clinician = clinicians.funnel.rows.find((row) => row.unit.startsWith('clin-ev'))!;
    expect(clinician.unit).toBe('clin-ev-----');
    expect([clinician.observed, clinician.denominator]).toEqual([11, 11]);
    const csv = await file('quality', '/locations.csv?metric=recovery&unit=clinician', locationsCsv as Loader);
    expect(csv.rows.find((row) => row.clinician!.startsWith('clin-ev'))).toMatchObject({
      clinician: 'clin-ev-----',
      denominator: '11',
      observed: '11',
    });
    const byClinician = funnelCellLink(new URLSearchParams('metric=recovery&unit=clinician'), {
      unit: 'clinician',
      metric: 'recovery',
    });
    const href = byClinician(clinician, 'observed')!;
    expect(new URL(href, 'http://localhost').searchParams.get('clinician')).toBe('clin-ev-----');
    expect(await listed(href)).toBe(11);
  });

  test('funnel by modality: adjusted for the severity each treats, in the file, with links by modality', async () => {
    type Row = Parameters<ReturnType<typeof funnelCellLink>>[0];
    const page = (await as('quality', '/locations?metric=recovery&unit=modality', locationsLoader as Loader)).value as {
      unit: string;
      funnel: { overall_rate: number; rows: Row[] };
    };
    // Recovery strata (one condition): moderate baselines (12) are Evanston CBT's 11, all recovered;
    // moderately severe (15) are Evanston IPT's 12 (8 recovered), Online CBT's 12 (5) and Chicago
    // IPT's 4 (4): 17 of 28. IPSRT's episodes have no scores, so no denominator and no row.
    expect(page.unit).toBe('modality');
    expect(page.funnel.overall_rate).toBeCloseTo(28 / 39, 12);
    const [cbt, ipt] = page.funnel.rows;
    // CBT: 16 of 23; expected 11 x 1 + 12 x 17/28 = 18.2857 (its milder cases count against it)
    expect(cbt).toMatchObject({ unit: 'CBT', denominator: 23, observed: 16, position: 'within' });
    expect(cbt!.expected).toBeCloseTo(11 + (12 * 17) / 28, 12);
    expect(cbt!.o_e).toBeCloseTo(16 / (11 + (12 * 17) / 28), 12);
    // IPT: 12 of 16, all moderately severe; expected 16 x 17/28 = 9.7143, O/E 1.2353
    expect(ipt).toMatchObject({ unit: 'IPT', denominator: 16, observed: 12 });
    expect(ipt!.o_e).toBeCloseTo(12 / ((16 * 17) / 28), 12);
    expect(ipt!.adjusted_rate).toBeCloseTo((12 / ((16 * 17) / 28)) * (28 / 39), 12);
    expect(page.funnel.rows).toHaveLength(2);

    const csv = await file('quality', '/locations.csv?metric=recovery&unit=modality', locationsCsv as Loader);
    expect(csv.rows.map((row) => [row.modality, row.denominator, row.observed])).toEqual([
      ['CBT', '23', '16'],
      ['IPT', '16', '12'],
    ]);
    const link = funnelCellLink(new URLSearchParams('metric=recovery&unit=modality'), {
      unit: 'modality',
      metric: 'recovery',
    });
    expect(await listed(link(ipt!, 'observed')!)).toBe(12);
    expect(await listed(link(cbt!, 'denominator')!)).toBe(23);
  });

  test("Compare links to the funnel by modality with the view's filters and a metric it has, for the funnel's roles only", async () => {
    const path = '/compare?location=Evanston&by=age_band&metric=recovery&a=CBT&b=IPT&columns=recovery';
    const href = async (role: 'leadership' | 'director' | 'quality', to = path) =>
      (
        (await as({ role, locations: null }, to, compareLoader as Loader)).value as {
          adjustedHref: string | null;
        }
      ).adjustedHref;
    // The filters travel, Compare's own choices (by, the pair, the columns) stay behind.
    expect(await href('director')).toBe('/locations?location=Evanston&unit=modality&metric=recovery');
    expect(await href('quality')).toBe('/locations?location=Evanston&unit=modality&metric=recovery');
    expect(await href('leadership')).toBeNull();
    // Remission is not a funnel metric: the funnel's own default then.
    expect(await href('director', '/compare?metric=remission')).toBe('/locations?unit=modality');
  });

  test('a director of one location is told the funnel compares it with itself, on the page and in the file', async () => {
    const evanston = { role: 'director' as const, locations: ['Evanston'] };
    const page = (await as(evanston, '/locations?metric=recovery', locationsLoader as Loader)).value as {
      population: { locations: string[] | null; chosen: boolean };
      funnel: { overall_rate: number; rows: Array<{ unit: string; observed_rate: number; position: string }> };
    };
    // Evanston alone: 19 of 23 recovered, which is the "overall" rate too, so it cannot fall outside.
    expect(page.population).toEqual({ locations: ['Evanston'], chosen: false });
    expect(page.funnel.overall_rate).toBeCloseTo(19 / 23, 12);
    expect(page.funnel.rows.map((row) => [row.unit, row.observed_rate, row.position])).toEqual([
      ['Evanston', 19 / 23, 'within'],
    ]);
    const csv = await file(evanston, '/locations.csv?metric=recovery', locationsCsv as Loader);
    expect(csv.comments.join('\n')).toContain(
      'are those of the locations your account may see (Evanston), not of the whole service',
    );
    // Every location in view: no such note.
    const all = (await as('quality', '/locations?metric=recovery', locationsLoader as Loader)).value as typeof page;
    expect(all.population).toEqual({ locations: null, chosen: false });
    const allCsv = await file('quality', '/locations.csv?metric=recovery', locationsCsv as Loader);
    expect(allCsv.comments.join('\n')).not.toContain('not of the whole service');
  });

  test('locations under the combined definition: the metrics it defines, reliable improvement by default', async () => {
    const combined = (await as('director', '/locations?instrument=combined', locationsLoader as Loader)).value as {
      metric: string;
      metrics: string[];
      funnel: { metric: string; instrument: string };
    };
    // Response has no combined form: offering it (the old default) gave an empty page. The default
    // comes first: the page's choice drops its first option from the URL, so a first option other
    // than the default (recovery, once) could not be chosen at all.
    expect(combined.metrics).toEqual(['reliable_improvement', 'recovery']);
    expect([combined.metric, combined.funnel.metric, combined.funnel.instrument]).toEqual([
      'reliable_improvement',
      'reliable_improvement',
      'combined',
    ]);
    const asked = (await as('director', '/locations?instrument=combined&metric=response', locationsLoader as Loader))
      .value as typeof combined;
    expect(asked.metric).toBe('reliable_improvement');
    const recovery = (await as('director', '/locations?instrument=combined&metric=recovery', locationsLoader as Loader))
      .value as typeof combined;
    expect([recovery.metric, recovery.funnel.metric]).toEqual(['recovery', 'recovery']);
    const phq = (await as('director', '/locations', locationsLoader as Loader)).value as typeof combined;
    expect([phq.metric, phq.metrics]).toEqual(['response', ['response', 'recovery', 'reliable_improvement']]);
  });

  test('quality pages: the counts they link equal the lists, item 9 by start month included', async () => {
    const none = new URLSearchParams();
    const measurement = (await as('quality', '/quality/measurement', measurementLoader as Loader)).value as {
      measurement: { by_location: Array<{ unit: string | null; no_baseline: number | null; no_final: number | null }> };
    };
    const unit = (name: string) => measurement.measurement.by_location.find((row) => row.unit === name)!;
    expect([unit('Evanston').no_baseline, unit('Online').no_final]).toEqual([3, 2]);
    expect(await listed(drillDownHref(none, { metric: 'no_baseline', group: { location: 'Evanston' } }))).toBe(3);
    expect(await listed(drillDownHref(none, { metric: 'no_final', group: { location: 'Online' } }))).toBe(2);

    const safety = (await as('quality', '/quality/safety', safetyLoader as Loader)).value as {
      safety: { item9: Array<{ location: string; month: string; figure: { count: number } | null }> };
    };
    const january = safety.safety.item9.find((row) => row.location === 'Evanston' && row.month === '2025-01')!;
    expect(january.figure!.count).toBe(3);
    const href = drillDownHref(none, { metric: 'item9', group: { location: 'Evanston' }, month: '2025-01' });
    expect(await listed(href)).toBe(3);
    // Without the month the list would hold March's eleven too.
    expect(await listed(drillDownHref(none, { metric: 'item9', group: { location: 'Evanston' } }))).toBe(14);

    const access = (await as('quality', '/quality/access', accessLoader as Loader)).value as {
      access: {
        by_location: Array<{
          location: string | null;
          within: Array<{ figure: { count: number; denominator: number } }> | null;
        }>;
      };
    };
    const online = access.access.by_location.find((row) => row.location === 'Online')!;
    const over42 = online.within![0]!.figure.denominator - online.within![0]!.figure.count;
    expect(over42).toBe(4);
    expect(
      await listed(drillDownHref(none, { metric: 'wait_within_42', side: 'rest', group: { location: 'Online' } })),
    ).toBe(4);
  });
});
