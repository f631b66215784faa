import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_MIN_CELL, MIN_CELL_FLOOR, MODALITIES } from '../../db/definitions';
import { FUNNEL_METRICS, FUNNEL_UNITS, getFunnel } from '../../db/queries/get-funnel';
import { getTrend } from '../../db/queries/get-trend';
import { COMBINED_PROPORTION_METRICS, type OutcomeFilters, PROPORTION_METRICS } from '../../db/queries/outcome-query';
import { outcomeWhere } from '../../db/queries/outcome-where';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { getStaffingDemand } from '../../db/queries/staffing-demand';
import { backends } from '../support/database';
import { type GeneratedWarehouse, generatedWarehouse } from '../support/generated-warehouse';

/**
 * ADR 010's promise, checked against the warehouse rather than against the code's own answer: in
 * every answer that publishes a figure pooling what it withholds, that figure less the figures
 * shown beside it is 0 or at least the minimum cell, so subtraction finds no small count. The
 * true totals are counted here straight from episode_outcome; the answers come from the queries.
 */

const MIN = DEFAULT_MIN_CELL;
const safe = (remainder: number, min = MIN) => remainder === 0 || remainder >= min;
const ALL = { locations: null, clinicianUnits: true };

for (const kind of backends) {
  describe(`no withheld figure is derivable inside one answer (${kind})`, () => {
    let generated: GeneratedWarehouse;
    beforeAll(async () => {
      generated = await generatedWarehouse(kind, { episodes: 1_500, seed: 83 });
    }, 240_000);
    afterAll(() => generated?.dispose());

    const someOf = (values: readonly string[]) =>
      fc.oneof(
        { weight: 2, arbitrary: fc.constant<string[]>([]) },
        { weight: 1, arbitrary: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 2 }) },
      );

    test('funnels: everyone counted less the units shown', async () => {
      let withheldUnits = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            instrument: fc.constantFrom('PHQ-9' as const, 'GAD-7' as const, 'combined' as const),
            modality: someOf(MODALITIES),
            location: someOf(generated.locations),
            metric: fc.constantFrom(...FUNNEL_METRICS),
            unit: fc.constantFrom(...FUNNEL_UNITS),
          }),
          async ({ instrument, modality, location, metric, unit }) => {
            if (instrument === 'combined' && !COMBINED_PROPORTION_METRICS.includes(metric)) return;
            const filters: OutcomeFilters = { ...NO_FILTERS, instrument, modality, location };
            const funnel = await getFunnel(generated.warehouse.db, { filters, scope: ALL, minCell: MIN, metric, unit });
            if (funnel.overall_rate === null) return;
            const { rows } = await sql<{ everyone: number }>`
              select count(${sql.ref(`o.${metric}`)})::int as everyone
              from episode_outcome o where ${outcomeWhere({ filters, scope: ALL })}`.execute(generated.warehouse.db);
            const shown = funnel.rows.reduce((sum, row) => sum + (row.suppressed ? 0 : row.denominator!), 0);
            withheldUnits += funnel.rows.filter((row) => row.suppressed).length;
            expect(
              safe(rows[0]!.everyone - shown),
              JSON.stringify({ instrument, modality, location, metric, unit }),
            ).toBe(true);
          },
        ),
        { numRuns: 40, seed: 20261127 },
      );
      // Enough withheld units came up for the property to mean something.
      expect(withheldUnits).toBeGreaterThan(15);
    }, 240_000);

    test('trends: each group counted less its quarters shown', async () => {
      for (const metric of PROTECTED_TREND_METRICS) {
        const filters: OutcomeFilters = { ...NO_FILTERS, group_by: ['location'] };
        const trend = await getTrend(generated.warehouse.db, { filters, scope: ALL, minCell: MIN, metric });
        const { rows } = await sql<{ location: string; everyone: number }>`
          select o.location, count(${sql.ref(`o.${metric}`)})::int as everyone
          from episode_outcome o
          where ${outcomeWhere({ filters, scope: ALL })} and o.end_quarter is not null
          group by o.location`.execute(generated.warehouse.db);
        const everyone = new Map(rows.map((row) => [row.location, row.everyone]));
        let withheldQuarters = 0;
        for (const row of trend.rows.filter((candidate) => !candidate.suppressed)) {
          const shown = row.quarters!.reduce(
            (sum, quarter) => sum + (quarter.suppressed ? 0 : quarter.denominator!),
            0,
          );
          withheldQuarters += row.quarters!.filter((quarter) => quarter.suppressed).length;
          expect(safe(everyone.get(row.group.location!)! - shown), `${metric} ${row.group.location}`).toBe(true);
        }
        expect(withheldQuarters, metric).toBeGreaterThan(0);
      }
    });

    test('staffing demand: each series less its months, each modality month less its locations', async () => {
      // At the floor of 5: a month of this small warehouse's locations is a few episodes, so at 11
      // nearly every one would be withheld at first and there would be little left to protect.
      const min = MIN_CELL_FLOOR;
      const demand = await getStaffingDemand(generated.warehouse.db, { filters: NO_FILTERS, scope: ALL, minCell: min });
      const { rows } = await sql<{ modality: string; location: string; month: string; episodes: number }>`
        select o.modality, o.location, o.start_month as month, count(*)::int as episodes
        from episode_outcome o
        where o.instrument = 'PHQ-9' and o.start_month between ${demand.months[0]!} and ${demand.months.at(-1)!}
        group by 1, 2, 3`.execute(generated.warehouse.db);
      const truth = (modality: string, location: string | null, month: string) =>
        rows
          .filter((row) => row.modality === modality && (location === null || row.location === location))
          .filter((row) => row.month === month)
          .reduce((sum, row) => sum + row.episodes, 0);
      const series = [...demand.by_modality, ...demand.by_modality_location];
      let withheldMonths = 0;
      for (const row of series.filter((candidate) => !candidate.suppressed)) {
        const counts = demand.months.map((month) => truth(row.modality, row.location, month));
        // Every published month is the truth, and none is a small count.
        row.monthly!.forEach((shown, index) => {
          if (shown === null) withheldMonths += 1;
          else {
            expect(shown).toBe(counts[index]);
            expect(shown === 0 || shown >= min).toBe(true);
          }
        });
        const total = counts.reduce((sum, count) => sum + count, 0);
        const shownMonths = row.monthly!.reduce<number>((sum, shown) => sum + (shown ?? 0), 0);
        if (row.total !== null) expect(safe(total - shownMonths, min), `${row.modality} ${row.location}`).toBe(true);
        if (row.monthly!.some((shown) => shown === null)) expect(row.trend_per_month).toBeNull();
      }
      // Each modality's month (all locations) less its locations' months shown.
      for (const modality of demand.by_modality.filter((row) => !row.suppressed)) {
        const locations = demand.by_modality_location.filter((row) => row.modality === modality.modality);
        demand.months.forEach((month, index) => {
          if (modality.monthly![index] === null) return;
          const shown = locations.reduce((sum, row) => sum + (row.monthly?.[index] ?? 0), 0);
          expect(safe(truth(modality.modality, null, month) - shown, min), `${modality.modality} ${month}`).toBe(true);
        });
      }
      expect(withheldMonths).toBeGreaterThan(0);
    });
  });
}

/** Proportion metrics of PHQ-9 whose trends the invariant is checked on. */
const PROTECTED_TREND_METRICS = PROPORTION_METRICS.filter((metric) =>
  ['recovery', 'reliable_improvement', 'dropout'].includes(metric),
);
