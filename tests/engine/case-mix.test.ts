import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { indirectStandardisation } from '../../db/engine/statistics';

describe('indirect standardisation, worked by hand', () => {
  /**
   * Unit A: mild 6/10, severe 2/10 (crude 8/20 = 0.400). Unit B: mild 15/30, severe 15/50
   * (crude 30/80 = 0.375). Population rates: mild 21/40 = 0.525, severe 17/60 = 0.28333.
   * Expected A = 10 x 0.525 + 10 x 17/60 = 97/12 = 8.0833; O/E = 8 / (97/12) = 96/97.
   * Expected B = 30 x 0.525 + 50 x 17/60 = 359/12 = 29.9167; O/E = 30 / (359/12) = 360/359.
   * Overall rate 38/100; adjusted A = 96/97 x 0.38 = 0.376082, B = 360/359 x 0.38 = 0.381058.
   * A's crude rate is higher, but B treats more severe cases: adjusted, the order reverses.
   */
  const result = indirectStandardisation([
    {
      unit: 'A',
      strata: [
        { stratum: 'mild', denominator: 10, observed: 6 },
        { stratum: 'severe', denominator: 10, observed: 2 },
      ],
    },
    {
      unit: 'B',
      strata: [
        { stratum: 'mild', denominator: 30, observed: 15 },
        { stratum: 'severe', denominator: 50, observed: 15 },
      ],
    },
  ]);

  test('expected counts, O/E, observed and adjusted rates', () => {
    expect(result.overall_rate).toBe(0.38);
    const [a, b] = result.rows;
    expect(a).toMatchObject({ unit: 'A', denominator: 20, observed: 8 });
    expect(a!.expected).toBeCloseTo(97 / 12, 12);
    expect(a!.o_e).toBeCloseTo(96 / 97, 12);
    expect(a!.observed_rate).toBe(0.4);
    expect(a!.adjusted_rate).toBeCloseTo(0.376082474, 9);
    expect(b).toMatchObject({ unit: 'B', denominator: 80, observed: 30 });
    expect(b!.expected).toBeCloseTo(359 / 12, 12);
    expect(b!.o_e).toBeCloseTo(360 / 359, 12);
    expect(b!.observed_rate).toBe(0.375);
    expect(b!.adjusted_rate).toBeCloseTo(0.381058496, 9);
  });

  test('expected adds up to observed over all units', () => {
    const expected = result.rows.reduce((total, row) => total + row.expected, 0);
    expect(expected).toBeCloseTo(38, 12);
  });
});

describe('indirect standardisation, invariants', () => {
  const strata = ['minimal', 'mild', 'moderate', 'severe'];
  const units = fc.array(
    fc.record({
      unit: fc.string({ minLength: 1, maxLength: 4 }),
      strata: fc
        .subarray(strata)
        .chain((names) =>
          fc.tuple(
            ...names.map((stratum) =>
              fc
                .nat({ max: 60 })
                .chain((denominator) =>
                  fc.nat({ max: denominator }).map((observed) => ({ stratum, denominator, observed })),
                ),
            ),
          ),
        ),
    }),
    { minLength: 1, maxLength: 8 },
  );

  test('sum of expected over all units equals sum of observed', () => {
    fc.assert(
      fc.property(units, (input) => {
        const { rows } = indirectStandardisation(input);
        const observed = rows.reduce((total, row) => total + row.observed, 0);
        const expected = rows.reduce((total, row) => total + row.expected, 0);
        expect(expected).toBeCloseTo(observed, 9);
      }),
    );
  });

  test('a single stratum needs no adjustment: adjusted rate = observed rate', () => {
    fc.assert(
      fc.property(units, (input) => {
        const oneStratum = input.map(({ unit, strata: counts }) => ({
          unit,
          strata: counts.map((count) => ({ ...count, stratum: 'all' })),
        }));
        for (const row of indirectStandardisation(oneStratum).rows) {
          if (row.adjusted_rate !== null) expect(row.adjusted_rate).toBeCloseTo(row.observed_rate!, 12);
        }
      }),
    );
  });
});

describe('indirect standardisation, edges', () => {
  test('a unit whose strata never meet the metric anywhere has no O/E', () => {
    const { overall_rate, rows } = indirectStandardisation([
      { unit: 'A', strata: [{ stratum: 'mild', denominator: 5, observed: 0 }] },
      { unit: 'B', strata: [{ stratum: 'severe', denominator: 5, observed: 5 }] },
    ]);
    expect(overall_rate).toBe(0.5);
    expect(rows[0]).toEqual({
      unit: 'A',
      denominator: 5,
      observed: 0,
      expected: 0,
      o_e: null,
      observed_rate: 0,
      adjusted_rate: null,
    });
    expect(rows[1]).toMatchObject({ expected: 5, o_e: 1, adjusted_rate: 0.5 });
  });

  test('no units: no overall rate', () => {
    expect(indirectStandardisation([])).toEqual({ overall_rate: null, rows: [] });
  });

  test('refuses more observed than the denominator', () => {
    expect(() =>
      indirectStandardisation([{ unit: 'A', strata: [{ stratum: 'mild', denominator: 2, observed: 3 }] }]),
    ).toThrow(RangeError);
  });
});
