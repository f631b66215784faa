/**
 * Case-mix adjustment by indirect standardisation (METRICS.md): each stratum's rate is taken from
 * the whole population given, a unit's expected count is what those rates predict for its own mix
 * of strata, and its adjusted rate scales the overall rate by observed / expected.
 */

export interface StratumCounts {
  stratum: string;
  /** Episodes of the unit in this stratum (the metric's denominator). */
  denominator: number;
  /** Of which met the metric (the numerator). */
  observed: number;
}

export interface UnitStrata {
  unit: string;
  strata: readonly StratumCounts[];
}

export interface StandardisedUnit {
  unit: string;
  denominator: number;
  observed: number;
  expected: number;
  /** observed / expected; null when nothing was expected (every stratum of the unit has rate 0). */
  o_e: number | null;
  /** observed / denominator; null when the denominator is 0. */
  observed_rate: number | null;
  /** o_e x overall_rate. */
  adjusted_rate: number | null;
}

export interface IndirectStandardisation {
  /** All observed over all denominators; null when there is no denominator at all. */
  overall_rate: number | null;
  rows: StandardisedUnit[];
}

export function indirectStandardisation(units: readonly UnitStrata[]): IndirectStandardisation {
  const population = new Map<string, { denominator: number; observed: number }>();
  for (const { unit, strata } of units) {
    for (const { stratum, denominator, observed } of strata) {
      if (!(denominator >= 0 && observed >= 0 && observed <= denominator)) {
        throw new RangeError(`unit ${unit}, stratum ${stratum}: need 0 <= observed <= denominator`);
      }
      const total = population.get(stratum) ?? { denominator: 0, observed: 0 };
      total.denominator += denominator;
      total.observed += observed;
      population.set(stratum, total);
    }
  }
  const stratumRate = (stratum: string): number => {
    const total = population.get(stratum)!;
    return total.denominator === 0 ? 0 : total.observed / total.denominator;
  };

  let allObserved = 0;
  let allDenominators = 0;
  for (const total of population.values()) {
    allObserved += total.observed;
    allDenominators += total.denominator;
  }
  const overallRate = allDenominators === 0 ? null : allObserved / allDenominators;

  const rows = units.map(({ unit, strata }) => {
    let denominator = 0;
    let observed = 0;
    let expected = 0;
    for (const counts of strata) {
      denominator += counts.denominator;
      observed += counts.observed;
      expected += stratumRate(counts.stratum) * counts.denominator;
    }
    return standardisedUnit({ unit, denominator, observed, expected }, overallRate);
  });
  return { overall_rate: overallRate, rows };
}

/** A unit's totals once its expected count is known (from its strata and the population's rates). */
export interface UnitTotals {
  unit: string;
  denominator: number;
  observed: number;
  expected: number;
}

/**
 * The figures that follow from a unit's observed and expected counts. At scale the expected counts
 * are summed in SQL (db/queries/get-funnel.ts, the same formula as above, checked against it by
 * tests/db/funnel-standardisation.test.ts), so only one row per unit reaches JavaScript.
 */
export function standardisedUnit(
  { unit, denominator, observed, expected }: UnitTotals,
  overallRate: number | null,
): StandardisedUnit {
  const observedOverExpected = expected > 0 ? observed / expected : null;
  return {
    unit,
    denominator,
    observed,
    expected,
    o_e: observedOverExpected,
    observed_rate: denominator === 0 ? null : observed / denominator,
    adjusted_rate: observedOverExpected === null || overallRate === null ? null : observedOverExpected * overallRate,
  };
}
