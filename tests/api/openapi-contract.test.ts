import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loader as differenceLoader } from '../../app/routes/api.v1.difference';
import { loader as funnelLoader } from '../../app/routes/api.v1.funnel';
import { loader as openApiLoader } from '../../app/routes/api.v1.openapi[.]json';
import { loader as outcomesLoader } from '../../app/routes/api.v1.outcomes';
import { loader as timeToImprovementLoader } from '../../app/routes/api.v1.time-to-improvement';
import { loader as trendLoader } from '../../app/routes/api.v1.trend';
import { apiToken, callLoader, type Loader } from '../support/api-client';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { load } from '../support/load-helpers';
import { clinic400 } from '../support/vectors';

/**
 * What /api/v1/openapi.json promises is what the routes answer: each answer below, withheld
 * groups and figures included, is validated against the document's own schema for its route and
 * status, by an independent JSON Schema 2020-12 validator (Ajv, the dialect of OpenAPI 3.1). Every
 * object is held to the properties the document lists (no undocumented field), as well as to their
 * types and to every required one being there. Run on both drivers, because a count that one driver
 * returned as a string would break the contract on one of them only.
 */
const LOADERS: Record<string, Loader> = {
  '/api/v1/outcomes': outcomesLoader,
  '/api/v1/time-to-improvement': timeToImprovementLoader,
  '/api/v1/funnel': funnelLoader,
  '/api/v1/trend': trendLoader,
  '/api/v1/difference': differenceLoader,
};

/** Questions that between them give every shape: whole and withheld groups, nulls, curves, limits. */
const QUESTIONS = [
  '/api/v1/outcomes',
  '/api/v1/outcomes?group_by=modality,location,condition',
  '/api/v1/outcomes?instrument=combined&group_by=problem_area,age_band',
  '/api/v1/outcomes?instrument=GAD-7&group_by=end_quarter&from=2024-01',
  '/api/v1/time-to-improvement?group_by=modality',
  '/api/v1/time-to-improvement?instrument=GAD-7&group_by=location',
  '/api/v1/funnel?metric=recovery&unit=location',
  '/api/v1/funnel?metric=response&unit=clinician',
  '/api/v1/funnel?metric=reliable_improvement&instrument=combined&unit=clinician&modality=IPT',
  '/api/v1/trend?metric=recovery&group_by=modality',
  '/api/v1/trend?metric=dropout&group_by=location',
  '/api/v1/difference?metric=recovery&a=IPT&b=CBT',
  '/api/v1/difference?metric=response&a=IPSRT&b=CBT&group_by=location',
  '/api/v1/difference?metric=reliable_improvement&a=DIT&b=other&instrument=combined&group_by=age_band',
];

/** Every object schema with listed properties, closed: a field the document does not name fails. */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, closeObjects(value)]));
  return 'properties' in copy && !('additionalProperties' in copy) ? { ...copy, additionalProperties: false } : copy;
}

describe.each(backends)('the OpenAPI document against the answers (%s)', (kind) => {
  let warehouse: TestWarehouse;
  let admin: string;
  let document: any;
  let ajv: Ajv2020;

  beforeAll(async () => {
    warehouse = await freshWarehouse(kind);
    await load(warehouse, clinic400().folder);
    admin = await apiToken(warehouse, 'admin');
    const response = await callLoader(openApiLoader, warehouse, '/api/v1/openapi.json', admin);
    document = await response.json();
    ajv = new Ajv2020({ strict: true, allErrors: true });
    // The document's components are referred to by JSON pointer, not validated as a schema.
    ajv.addKeyword('components');
    ajv.addSchema({ $id: 'openapi', components: closeObjects(document.components) });
  });
  afterAll(() => warehouse?.dispose());

  /** The schema the document gives for this route's answer with this status. */
  function validatorFor(path: string, status: number): ValidateFunction {
    const content = document.paths[path].get.responses[String(status)].content['application/json'];
    const schema = JSON.parse(JSON.stringify(content.schema).replaceAll('"#/components/', '"openapi#/components/'));
    return ajv.compile(schema);
  }

  async function answer(url: string, token: string | null = admin) {
    const path = url.split('?')[0]!;
    const response = await callLoader(LOADERS[path]!, warehouse, url, token);
    return { path, status: response.status, body: await response.json() };
  }

  test.each(QUESTIONS)('%s: 200 as documented', async (url) => {
    const { path, status, body } = await answer(url);
    expect(status).toBe(200);
    const validate = validatorFor(path, status);
    expect(validate(body) ? [] : validate.errors, url).toEqual([]);
  });

  test('the questions reach the shapes that matter: withheld groups and figures, curves, limits', async () => {
    const grouped = (await answer(QUESTIONS[1]!)).body;
    expect(grouped.rows.some((row: any) => row.suppressed)).toBe(true);
    expect(grouped.rows.some((row: any) => !row.suppressed && row.recovery !== null)).toBe(true);
    const locations = (await answer(QUESTIONS[6]!)).body;
    expect(locations.rows.some((row: any) => row.limits !== null)).toBe(true);
    const clinicians = (await answer(QUESTIONS[7]!)).body;
    expect(clinicians.rows.some((row: any) => row.suppressed)).toBe(true);
    const curves = (await answer(QUESTIONS[4]!)).body;
    expect(curves.rows.some((row: any) => !row.suppressed && row.curve.length > 1)).toBe(true);
    const trend = (await answer(QUESTIONS[9]!)).body;
    expect(trend.rows.flatMap((row: any) => row.quarters ?? []).some((quarter: any) => quarter.suppressed)).toBe(true);
    const shapes = await Promise.all([11, 12, 13].map(async (index) => (await answer(QUESTIONS[index]!)).body.rows));
    const reasons = new Set(shapes.flat().map((row: any) => row.reason));
    // A difference given, and one withheld or with nothing to compare.
    expect(reasons.has(null)).toBe(true);
    expect([...reasons].some((reason) => reason !== null)).toBe(true);
  });

  test('refusals as documented: 400 naming the parameter, 401 without a token', async () => {
    const bad = await answer('/api/v1/outcomes?group_by=clinician');
    expect(bad.status).toBe(400);
    const validateBad = validatorFor(bad.path, 400);
    expect(validateBad(bad.body) ? [] : validateBad.errors).toEqual([]);
    const anonymous = await answer('/api/v1/trend?metric=recovery', null);
    expect(anonymous.status).toBe(401);
    const validateAnonymous = validatorFor(anonymous.path, 401);
    expect(validateAnonymous(anonymous.body) ? [] : validateAnonymous.errors).toEqual([]);
  });

  test('the validator is not a formality: an undocumented field, a count as text, a missing figure each fail', async () => {
    const { path, body } = await answer('/api/v1/outcomes?group_by=modality');
    const validate = validatorFor(path, 200);
    expect(validate(body)).toBe(true);
    const row = body.rows.find((candidate: any) => !candidate.suppressed);
    expect(validate({ ...body, rows: [{ ...row, clinician: 'x' }] })).toBe(false);
    expect(validate({ ...body, rows: [{ ...row, episodes: String(row.episodes) }] })).toBe(false);
    const { recovery: _recovery, ...withoutRecovery } = row;
    expect(validate({ ...body, rows: [withoutRecovery] })).toBe(false);
  });
});
