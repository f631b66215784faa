import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loader as differenceLoader } from '../../app/routes/api.v1.difference';
import { loader as funnelLoader } from '../../app/routes/api.v1.funnel';
import { loader as openApiLoader } from '../../app/routes/api.v1.openapi[.]json';
import { loader as outcomesLoader } from '../../app/routes/api.v1.outcomes';
import { loader as timeToImprovementLoader } from '../../app/routes/api.v1.time-to-improvement';
import { loader as trendLoader } from '../../app/routes/api.v1.trend';
import { openWarehouse } from '../../db/connection';
import { PROPORTION_METRICS } from '../../db/queries/outcome-query';
import { apiToken, callLoader } from '../support/api-client';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { fixture, load } from '../support/load-helpers';
import { clinic400 } from '../support/vectors';

/**
 * The analyst API's behaviour around the figures: sign-in, 400s that name the parameter, the
 * caller's locations and role, CSV, the audit trail, a down warehouse, and the OpenAPI document.
 * Figures themselves are checked against R in clinic-400-acceptance.test.ts.
 */
const { folder } = clinic400();

describe.each(backends)('analyst API (%s)', (kind) => {
  let warehouse: TestWarehouse;
  let admin: string;
  let evanstonDirector: string;
  let leadership: string;
  beforeAll(async () => {
    warehouse = await freshWarehouse(kind);
    await load(warehouse, folder);
    admin = await apiToken(warehouse, 'admin');
    evanstonDirector = await apiToken(warehouse, 'director', ['Evanston']);
    leadership = await apiToken(warehouse, 'leadership', ['Evanston', 'Loop']);
  });
  afterAll(() => warehouse?.dispose());

  const get = (loader: typeof outcomesLoader, url: string, token: string | null) =>
    callLoader(loader, warehouse, url, token);

  test('no token, or an unknown one: 401 JSON', async () => {
    for (const token of [null, 'tok_not-a-real-token']) {
      const response = await get(outcomesLoader, '/api/v1/outcomes', token);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/json/);
    }
  });

  test.each([
    ['/api/v1/outcomes?instrument=PHQ9', 'instrument', /PHQ-9, GAD-7, combined/],
    ['/api/v1/outcomes?modality=ipt', 'modality', /IPT, CBT, IPSRT, DIT, other/],
    // "+" in a query string is a space: 21+ arrives as "21 ", and the message says how to send it.
    ['/api/v1/outcomes?length_band=21+', 'length_band', /write 21\+ as 21%2B/],
    ['/api/v1/outcomes?age_band=18-24,90+', 'age_band', /write 90\+ as 90%2B/],
    ['/api/v1/outcomes?group_by=modality,location,condition,delivery', 'group_by', /at most three/],
    ['/api/v1/outcomes?group_by=clinician', 'group_by', /modality, location/],
    ['/api/v1/outcomes?from=2025-13', 'from', /YYYY-MM/],
    ['/api/v1/outcomes?from=2025-06&to=2025-01', 'from', /not after/],
    ['/api/v1/outcomes?modalty=IPT', 'modalty', /unknown parameter; one of instrument/],
    ['/api/v1/outcomes?modality=IPT&modality=CBT', 'modality', /comma-separated/],
    ['/api/v1/outcomes?format=xml', 'format', /json, csv/],
    // %00 is U+0000, which Postgres text and jsonb cannot hold: a 400, and its audit line, not a 500.
    ['/api/v1/outcomes?modality=%00', 'modality', /IPT, CBT/],
    ['/api/v1/outcomes?location=Evanston,%00', 'location', /without a NUL character/],
    ['/api/v1/outcomes?%00=1', '\u0000', /unknown parameter/],
    ['/api/v1/time-to-improvement?instrument=combined', 'instrument', /PHQ-9, GAD-7/],
    ['/api/v1/time-to-improvement?group_by=modality,location', 'group_by', /at most one/],
    ['/api/v1/funnel?unit=location', 'metric', /required; one of recovery, response, reliable_improvement/],
    ['/api/v1/funnel?metric=remission', 'metric', /recovery, response, reliable_improvement/],
    ['/api/v1/funnel?metric=recovery&unit=team', 'unit', /location, modality, clinician/],
    ['/api/v1/funnel?metric=recovery&group_by=modality', 'group_by', /not allowed/],
    ['/api/v1/funnel?metric=response&instrument=combined', 'metric', /recovery, reliable_improvement/],
    ['/api/v1/trend', 'metric', /required/],
    // The combined definition has two baselines, so no one severity band; GAD-7 has no moderately severe.
    ['/api/v1/outcomes?instrument=combined&group_by=severity_band', 'group_by', /no one severity band/],
    ['/api/v1/trend?metric=recovery&instrument=combined&severity_band=severe', 'severity_band', /PHQ-9 or GAD-7/],
    [
      '/api/v1/outcomes?instrument=GAD-7&severity_band=mild,moderately_severe',
      'severity_band',
      /^one or more of minimal, mild, moderate, severe, none/,
    ],
    [
      '/api/v1/outcomes?severity_band=high',
      'severity_band',
      /minimal, mild, moderate, moderately_severe, severe, none/,
    ],
    ['/api/v1/trend?metric=recovery&group_by=end_quarter', 'group_by', /other than end_quarter/],
    ['/api/v1/trend?metric=response&instrument=combined', 'metric', /reliable_deterioration/],
    ['/api/v1/difference?a=IPT&b=CBT', 'metric', /required/],
    ['/api/v1/difference?metric=recovery&b=CBT', 'a', /required; one of IPT, CBT, IPSRT, DIT, other/],
    ['/api/v1/difference?metric=recovery&a=IPT&b=ipt', 'b', /IPT, CBT/],
    ['/api/v1/difference?metric=recovery&a=IPT&b=IPT', 'b', /other than a/],
    ['/api/v1/difference?metric=recovery&a=IPT&b=CBT&group_by=modality', 'group_by', /other than modality/],
    ['/api/v1/difference?metric=recovery&a=IPT&b=CBT&group_by=location,condition', 'group_by', /at most one/],
    ['/api/v1/difference?metric=response&a=IPT&b=CBT&instrument=combined', 'metric', /reliable_deterioration/],
  ])('%s: 400 naming %s', async (url, parameter, allowed) => {
    const loader = {
      outcomes: outcomesLoader,
      'time-to-improvement': timeToImprovementLoader,
      funnel: funnelLoader,
      trend: trendLoader,
      difference: differenceLoader,
    }[url.split('?')[0]!.replace('/api/v1/', '') as 'outcomes'];
    const response = await get(loader, url, admin);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ error: 'invalid_parameter', parameter });
    expect(body.allowed).toMatch(allowed);
  });

  test('a director sees only their locations, and asking for another is 403, not an empty answer', async () => {
    const mine = await (await get(outcomesLoader, '/api/v1/outcomes?group_by=location', evanstonDirector)).json();
    expect(mine.rows.map((row: any) => row.group.location)).toEqual(['Evanston']);
    const everyone = await (await get(outcomesLoader, '/api/v1/outcomes?group_by=location', admin)).json();
    expect(everyone.rows.length).toBeGreaterThan(3);
    expect(everyone.rows.find((row: any) => row.group.location === 'Evanston')).toEqual(mine.rows[0]);
    const refused = await get(outcomesLoader, '/api/v1/outcomes?location=Loop', evanstonDirector);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'forbidden' });
  });

  test('funnels: 403 for leadership, of locations as of clinicians; shortened pseudonyms for a director within their locations', async () => {
    for (const unit of ['clinician', 'location']) {
      const refused = await get(funnelLoader, `/api/v1/funnel?metric=response&unit=${unit}`, leadership);
      expect(refused.status, unit).toBe(403);
      expect(await refused.json()).toMatchObject({ error: 'forbidden' });
    }
    const allowed = await get(funnelLoader, '/api/v1/funnel?metric=response&unit=clinician', evanstonDirector);
    expect(allowed.status).toBe(200);
    const body = await allowed.json();
    expect(body.rows.length).toBeGreaterThan(0);
    // The shortened pseudonym the Locations and quality pages show; the full key stays on the server.
    for (const row of body.rows) expect(row.unit).toMatch(/^[0-9a-f]{12}$/);
  });

  test('the adjusted difference of two modalities: any role, within its locations; its CSV the same figures', async () => {
    const url = '/api/v1/difference?metric=recovery&a=IPT&b=CBT&group_by=location';
    const everyone = await (await get(differenceLoader, url, admin)).json();
    expect(everyone).toMatchObject({
      metric: 'recovery',
      a: 'IPT',
      b: 'CBT',
      adjusted_for: ['severity_band', 'condition'],
    });
    expect(everyone.rows.length).toBeGreaterThan(1);
    const mine = await (await get(differenceLoader, url, leadership)).json();
    expect(mine.rows.map((row: any) => row.group.location)).toEqual(['Evanston', 'Loop']);
    for (const row of mine.rows) {
      expect(row).toEqual(everyone.rows.find((other: any) => other.group.location === row.group.location));
    }
    for (const row of everyone.rows) {
      if (row.difference === null) {
        expect(row.reason).not.toBeNull();
        continue;
      }
      expect(row.ci_low).toBeLessThanOrEqual(row.difference);
      expect(row.ci_high).toBeGreaterThanOrEqual(row.difference);
      expect(row.suppressed).toBe(false);
      expect(row.strata).toBeGreaterThan(0);
    }
    expect(
      (
        await get(
          differenceLoader,
          '/api/v1/difference?metric=recovery&a=IPT&b=CBT&location=Arlington%20Heights',
          leadership,
        )
      ).status,
    ).toBe(403);
    const text = await (await get(differenceLoader, `${url}&format=csv`, admin)).text();
    const [header, ...lines] = text.trim().split('\r\n');
    expect(header).toBe('group.location,suppressed,difference,ci_low,ci_high,strata,compared_a,compared_b,reason');
    expect(lines).toHaveLength(everyone.rows.length);
    const first = lines[0]!.split(',');
    expect(first[0]).toBe(everyone.rows[0].group.location);
    expect(first[2] === '' ? null : Number(first[2])).toBe(everyone.rows[0].difference);
  });

  test('CSV: the same figures, one column per field with dotted names', async () => {
    const url = '/api/v1/outcomes?group_by=modality';
    const json = await (await get(outcomesLoader, url, admin)).json();
    const response = await get(outcomesLoader, `${url}&format=csv`, admin);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...lines] = (await response.text()).trim().split('\r\n');
    const columns = header!.split(',');
    expect(columns).toEqual(expect.arrayContaining(['group.modality', 'suppressed', 'episodes', 'mean_change.ci_low']));
    for (const metric of PROPORTION_METRICS) expect(columns).toContain(`${metric}.rate`);
    expect(lines).toHaveLength(json.rows.length);
    const ipt = lines.map((line) => line.split(',')).find((cells) => cells[0] === 'IPT')!;
    const iptJson = json.rows.find((row: any) => row.group.modality === 'IPT');
    expect(Number(ipt[columns.indexOf('episodes')])).toBe(iptJson.episodes);
    expect(Number(ipt[columns.indexOf('recovery.rate')])).toBe(iptJson.recovery.rate);
  });

  test('CSV of curves and trends: one line per session or quarter, under their group', async () => {
    const url = '/api/v1/time-to-improvement?group_by=modality';
    const curves = await (await get(timeToImprovementLoader, url, admin)).json();
    const text = await (await get(timeToImprovementLoader, `${url}&format=csv`, admin)).text();
    const [header, ...lines] = text.trim().split('\r\n');
    expect(header).toBe(
      'group.modality,suppressed,n,events,median_session,curve.session,curve.at_risk,curve.events,curve.censored,curve.improved',
    );
    expect(lines).toHaveLength(curves.rows.reduce((total: number, row: any) => total + row.curve.length, 0));
    const trendUrl = '/api/v1/trend?metric=dropout';
    const trend = await (await get(trendLoader, trendUrl, admin)).json();
    const trendLines = (await (await get(trendLoader, `${trendUrl}&format=csv`, admin)).text()).trim().split('\r\n');
    expect(trendLines[0]).toContain('quarters.quarter,quarters.suppressed,quarters.count');
    expect(trendLines).toHaveLength(1 + trend.rows[0].quarters.length);
  });

  test('a refused call with %00 in its address is in the audit trail, the NUL kept as U+FFFD', async () => {
    expect((await get(outcomesLoader, '/api/v1/outcomes?location=Loop%00', admin)).status).toBe(400);
    const { rows } = await sql<{ status: number; filters: any }>`
      select status, filters from audit_event order by id desc limit 1`.execute(warehouse.db);
    expect(rows[0]).toEqual({ status: 400, filters: { location: 'Loop\uFFFD' } });
  });

  test('every answered call is in the audit trail, with its route, filters and rows', async () => {
    const before = await auditCount();
    await get(trendLoader, '/api/v1/trend?metric=recovery&group_by=modality', admin);
    await get(outcomesLoader, '/api/v1/outcomes?group_by=condition&format=csv', admin);
    const { rows } = await sql<{ action: string; route: string; rows_out: number | null; filters: any }>`
      select action, route, rows_out, filters from audit_event order by id desc limit 2`.execute(warehouse.db);
    expect(await auditCount()).toBe(before + 2);
    expect(rows[1]).toMatchObject({
      action: 'api_call',
      route: '/api/v1/trend',
      filters: { metric: 'recovery', group_by: 'modality' },
    });
    expect(rows[0]).toMatchObject({ action: 'export', route: '/api/v1/outcomes' });
    expect(rows[0]!.rows_out).toBeGreaterThan(0);
  });

  test('trend: each group pools to its outcome rate; quarters come in order', async () => {
    const trend = await (await get(trendLoader, '/api/v1/trend?metric=recovery&group_by=modality', admin)).json();
    const outcomes = await (await get(outcomesLoader, '/api/v1/outcomes?group_by=modality', admin)).json();
    for (const row of trend.rows.filter((candidate: any) => !candidate.suppressed)) {
      const outcome = outcomes.rows.find((candidate: any) => candidate.group.modality === row.group.modality);
      // Recovery needs a finished (so ended) episode: every one of them is in some quarter.
      expect(row.centre).toBeCloseTo(outcome.recovery.rate, 12);
      const quarters = row.quarters.map((quarter: any) => quarter.quarter);
      expect(quarters).toEqual([...quarters].sort());
      for (const quarter of row.quarters.filter((candidate: any) => !candidate.suppressed)) {
        expect(quarter.denominator).toBeGreaterThanOrEqual(11);
        expect(quarter.control_low).toBeLessThanOrEqual(row.centre);
        expect(quarter.control_high).toBeGreaterThanOrEqual(row.centre);
      }
    }
  });

  test('the OpenAPI document describes every route and every parameter the routes accept', async () => {
    expect((await get(openApiLoader, '/api/v1/openapi.json', null)).status).toBe(401);
    const document = await (await get(openApiLoader, '/api/v1/openapi.json', leadership)).json();
    expect(document.openapi).toBe('3.1.0');
    const accepted: Record<string, string[]> = {
      '/api/v1/outcomes': ['group_by'],
      '/api/v1/time-to-improvement': ['group_by'],
      '/api/v1/funnel': ['metric', 'unit'],
      '/api/v1/trend': ['group_by', 'metric'],
      '/api/v1/difference': ['group_by', 'metric', 'a', 'b'],
    };
    const common = [
      'instrument',
      'modality',
      'location',
      'condition',
      'length_band',
      'problem_area',
      'age_band',
      'delivery',
      'severity_band',
      'from',
      'to',
      'format',
    ];
    for (const [path, own] of Object.entries(accepted)) {
      const operation = document.paths[path].get;
      expect(operation.parameters.map((parameter: any) => parameter.name).sort(), path).toEqual(
        [...common, ...own].sort(),
      );
      for (const status of ['200', '400', '401', '403', '503'])
        expect(operation.responses[status], `${path} ${status}`).toBeDefined();
      const schema = operation.responses['200'].content['application/json'].schema.$ref.split('/').pop();
      expect(document.components.schemas[schema], schema).toBeDefined();
    }
    // Every $ref points at a schema that exists.
    const refs = JSON.stringify(document).match(/#\/components\/schemas\/\w+/g)!;
    for (const ref of refs) expect(document.components.schemas[ref.split('/').pop()!], ref).toBeDefined();
  });

  test('a warehouse that is down: 503 JSON with Retry-After', async () => {
    // Nothing listens on port 1: every connection is refused, as when the server is down.
    const down = await openWarehouse({
      databaseUrl: 'postgres://nobody@127.0.0.1:1/warehouse',
      dataDir: '',
      poolMax: 1,
    });
    const response = await callLoader(outcomesLoader, down, '/api/v1/outcomes', admin);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('10');
    expect(await response.json()).toMatchObject({ error: 'warehouse_unavailable' });
    await down.close();
  });

  // Last: it changes the warehouse.
  test('answers are kept only until a load changes the data', async () => {
    const before = await (await get(outcomesLoader, '/api/v1/outcomes', admin)).json();
    expect(before.rows[0].episodes).toBe(400);
    // The same question again: the same answer (from memory or not, it must not differ).
    expect(await (await get(outcomesLoader, '/api/v1/outcomes', admin)).json()).toEqual(before);
    await load(warehouse, fixture('good/minimal'));
    const after = await (await get(outcomesLoader, '/api/v1/outcomes', admin)).json();
    expect(after.rows[0].episodes).toBe(404);
  });

  async function auditCount(): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_event`.execute(warehouse.db);
    return rows[0]!.n;
  }
});
