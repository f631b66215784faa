import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getOutcomes } from '../../db/queries/get-outcomes';
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
});
