import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loader as funnelLoader } from '../../app/routes/api.v1.funnel';
import { loader as outcomesLoader } from '../../app/routes/api.v1.outcomes';
import { loader as timeToImprovementLoader } from '../../app/routes/api.v1.time-to-improvement';
import { apiToken, callLoader, type Loader } from '../support/api-client';
import { expectSameRows, groupKey } from '../support/compare-figures';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { load } from '../support/load-helpers';
import { clinic400 } from '../support/vectors';

/**
 * Issue 4's acceptance: ../shared/vectors/clinic-400 loaded with the real loader, then the ten
 * queries of its expected.json (computed independently in R) asked of the API routes with a
 * bearer token: every figure matches (counts exactly, the rest within 1e-6), every withheld group
 * and figure is withheld, and a field the vector leaves out (combined rows) is null. Rows are
 * matched by their group, not their position.
 */
const { folder, vectors } = clinic400();

const LOADERS: Record<string, Loader> = {
  '/api/v1/outcomes': outcomesLoader,
  '/api/v1/time-to-improvement': timeToImprovementLoader,
  '/api/v1/funnel': funnelLoader,
};

describe.each(backends)('clinic-400 through the API (%s)', (kind) => {
  let warehouse: TestWarehouse;
  let token: string;
  beforeAll(async () => {
    warehouse = await freshWarehouse(kind);
    await load(warehouse, folder);
    token = await apiToken(warehouse, 'admin');
  });
  afterAll(() => warehouse?.dispose());

  test('there are ten queries, each for a route we serve', () => {
    expect(vectors).toHaveLength(10);
    for (const vector of vectors) expect(LOADERS[vector.path], vector.path).toBeDefined();
  });

  test.each(vectors.map((vector) => [vector.id, vector] as const))('%s', async (_id, vector) => {
    const response = await callLoader(
      LOADERS[vector.path]!,
      warehouse,
      `${vector.path}?${new URLSearchParams(vector.params)}`,
      token,
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    if (vector.path === '/api/v1/funnel') {
      expect(body.overall_rate).toBeCloseTo(vector.expected.overall_rate, 9);
      expectSameRows(vector.expected.rows, body.rows, (row) => row.unit, vector.id);
    } else {
      expect(body.instrument).toBe(vector.params.instrument ?? 'PHQ-9');
      expect(body.min_cell).toBe(11);
      expectSameRows(vector.expected, body.rows, (row) => groupKey(row.group), vector.id);
    }
    // Withheld groups are there, marked, and hold nothing.
    for (const row of vector.path === '/api/v1/funnel' ? body.rows : body.rows) {
      if (row.suppressed) {
        const shown = Object.entries(row).filter(
          ([key, value]) => !['group', 'unit', 'suppressed'].includes(key) && value !== null,
        );
        expect(shown, JSON.stringify(row)).toEqual([]);
      }
    }
  });
});
