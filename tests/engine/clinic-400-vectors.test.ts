import { describe, expect, test } from 'vitest';
import { clinic400 } from '../support/vectors';
import { funnelLimits, funnelPosition, kaplanMeierFromCounts, wilsonInterval } from '../../db/engine/statistics';

/**
 * The statistics alone against ../shared/vectors/clinic-400/expected.json, whose figures were
 * computed independently in R: every Wilson interval from its count and denominator, every
 * Kaplan-Meier curve from its per-session counts, every funnel limit from the overall rate and
 * the unit's denominator. (Mean-change intervals need the raw scores: the acceptance test's job.)
 * R prints 15 significant digits, so agreement is asked to 1e-12, well inside the 1e-6 of the
 * acceptance test.
 */
// Found beside the checkout, or beside the main checkout when this is a git worktree.
const { vectors } = clinic400();
const vector = (id: string) => vectors.find((entry) => entry.id === id)!;

const PROPORTIONS = [
  'recovery',
  'reliable_recovery',
  'reliable_improvement',
  'reliable_deterioration',
  'response',
  'remission',
  'dropout',
] as const;

describe('clinic-400 Wilson intervals', () => {
  test('phq_by_modality_location: every shown proportion', () => {
    let checked = 0;
    for (const row of vector('phq_by_modality_location').expected) {
      for (const name of PROPORTIONS) {
        const shown = row[name];
        if (!shown) continue;
        const ours = wilsonInterval(shown.count, shown.denominator);
        expect(ours.rate).toBeCloseTo(shown.rate, 12);
        expect(ours.ci_low).toBeCloseTo(shown.ci_low, 12);
        expect(ours.ci_high).toBeCloseTo(shown.ci_high, 12);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  test('every other outcomes query too', () => {
    let checked = 0;
    for (const { id, path, expected } of vectors) {
      if (path !== '/api/v1/outcomes' || id === 'phq_by_modality_location') continue;
      for (const row of expected) {
        for (const name of PROPORTIONS) {
          const shown = row[name];
          if (!shown) continue;
          const ours = wilsonInterval(shown.count, shown.denominator);
          expect([id, name, ours.ci_low, ours.ci_high]).toEqual([
            id,
            name,
            expect.closeTo(shown.ci_low, 12),
            expect.closeTo(shown.ci_high, 12),
          ]);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe('clinic-400 Kaplan-Meier', () => {
  test("each group's curve and median from its per-session counts", () => {
    const rows = vector('km_phq_by_modality').expected.filter((row: any) => !row.suppressed);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const ours = kaplanMeierFromCounts(
        row.curve.map((point: any) => ({ time: point.session, events: point.events, censored: point.censored })),
      );
      expect(ours.n).toBe(row.n);
      expect(ours.events).toBe(row.events);
      expect(ours.median_session).toBe(row.median_session);
      expect(ours.curve.map((point) => point.at_risk)).toEqual(row.curve.map((point: any) => point.at_risk));
      ours.curve.forEach((point, index) => expect(point.improved).toBeCloseTo(row.curve[index].improved, 12));
    }
  });
});

describe('clinic-400 funnel', () => {
  const funnel = vector('funnel_recovery_location').expected;

  test("each unit's limits from the overall rate at its denominator, and its position", () => {
    for (const row of funnel.rows) {
      const limits = funnelLimits(funnel.overall_rate, row.denominator)!;
      expect(limits.l95).toBeCloseTo(row.limits.l95, 12);
      expect(limits.u95).toBeCloseTo(row.limits.u95, 12);
      expect(limits.l998).toBeCloseTo(row.limits.l998, 12);
      expect(limits.u998).toBeCloseTo(row.limits.u998, 12);
      expect(funnelPosition(row.observed_rate, limits)).toBe(row.position);
    }
  });

  test('the figures obey indirect standardisation: sum expected = sum observed, adjusted = O/E x p0', () => {
    const sum = (field: string) => funnel.rows.reduce((total: number, row: any) => total + row[field], 0);
    expect(sum('expected')).toBeCloseTo(sum('observed'), 9);
    expect(sum('observed') / sum('denominator')).toBeCloseTo(funnel.overall_rate, 12);
    for (const row of funnel.rows) {
      expect(row.o_e).toBeCloseTo(row.observed / row.expected, 12);
      expect(row.adjusted_rate).toBeCloseTo(row.o_e * funnel.overall_rate, 12);
    }
  });
});
