import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getFunnel } from '../../db/queries/get-funnel';
import { getOutcomes } from '../../db/queries/get-outcomes';
import { getTimeToImprovement } from '../../db/queries/get-time-to-improvement';
import { parseOutcomeFilters } from '../../db/queries/outcome-query';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { expectSameRows, groupKey } from '../support/compare-figures';
import { load } from '../support/load-helpers';
import { clinic400 } from '../support/vectors';

const { folder, vectors } = clinic400();

describe.each(backends)('clinic-400 acceptance (%s)', (kind) => {
  let warehouse: TestWarehouse;
  beforeAll(async () => {
    warehouse = await freshWarehouse(kind);
    await load(warehouse, folder);
  });
  afterAll(() => warehouse?.dispose());

  test.each(
    vectors.filter((vector) => vector.path === '/api/v1/outcomes').map((vector) => [vector.id, vector] as const),
  )('%s', async (_id, vector) => {
    const parsed = parseOutcomeFilters(new URLSearchParams(vector.params));
    if (!parsed.ok) throw new Error(parsed.parameter);
    const result = await getOutcomes(warehouse.db, {
      filters: parsed.filters,
      scope: { locations: null, clinicianUnits: true },
      minCell: 11,
    });
    expect(result.rows.length).toBeGreaterThan(0);
    expectSameRows(vector.expected, result.rows, (row) => groupKey(row.group), vector.id);
  });

  test('km and funnel', async () => {
    const scope = { locations: null, clinicianUnits: true };
    const km = vectors.find((v) => v.id === 'km_phq_by_modality')!;
    const parsed = parseOutcomeFilters(new URLSearchParams(km.params));
    if (!parsed.ok) throw new Error(parsed.parameter);
    const kmResult = await getTimeToImprovement(warehouse.db, { filters: parsed.filters as any, scope, minCell: 11 });
    expectSameRows(km.expected, kmResult.rows, (row) => groupKey(row.group), km.id);
    const funnel = vectors.find((v) => v.id === 'funnel_recovery_location')!;
    const parsedFunnel = parseOutcomeFilters(new URLSearchParams({ instrument: 'PHQ-9' }));
    if (!parsedFunnel.ok) throw new Error(parsedFunnel.parameter);
    const funnelResult = await getFunnel(warehouse.db, { filters: parsedFunnel.filters, scope, minCell: 11, metric: 'recovery', unit: 'location' });
    expect(funnelResult.overall_rate).toBeCloseTo(funnel.expected.overall_rate, 9);
    expectSameRows(funnel.expected.rows, funnelResult.rows, (row) => row.unit, funnel.id);
  });
});
