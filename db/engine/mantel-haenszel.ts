import { Z_95 } from './proportion';

/**
 * The difference of two groups' rates adjusted for case mix: the Mantel-Haenszel risk difference
 * over strata, with the variance of Sato (1989), consistent both when there are few large strata
 * and when there are many small ones (Greenland & Robins 1985 is consistent only in the first).
 * It is what R's metafor::rma.mh(measure = "RD") and Stata's `cs ..., by()` give, and what the
 * tests are checked against.
 *
 * Within each stratum k (baseline severity band x condition, as the funnel's case mix) a has a_k
 * of n_ak and b has c_k of n_bk, N_k = n_ak + n_bk. The estimate weighs each stratum's difference
 * by w_k = n_ak n_bk / N_k, so it compares the two groups only where both have episodes: a stratum
 * that one group never treats (IPSRT's non-bipolar conditions) adds nothing, and says nothing.
 *
 *   RD = sum_k (a_k n_bk - c_k n_ak) / N_k  /  sum_k w_k
 *   var = (RD sum_k P_k + sum_k Q_k) / (sum_k w_k)^2
 *   P_k = (n_ak^2 c_k - n_bk^2 a_k + n_ak n_bk (n_bk - n_ak) / 2) / N_k^2
 *   Q_k = (a_k (n_bk - c_k) + c_k (n_ak - a_k)) / (2 N_k)
 *
 * The interval is RD +- z sqrt(var), kept within -1 to 1. Like any Wald-type interval it has no
 * width when every compared episode in every stratum had the same outcome on each side; then there
 * is no interval to give, and the answer is null rather than a certainty the data do not have.
 */

export interface StratumPair {
  /** Episodes of group a in the stratum that met the metric, of `denominatorA`. */
  countA: number;
  denominatorA: number;
  countB: number;
  denominatorB: number;
}

export interface AdjustedDifference {
  /** a - b, -1 to 1, unrounded. */
  difference: number;
  ci_low: number;
  ci_high: number;
  /** Strata where both groups have episodes: the only ones compared. */
  strata: number;
  /** Each group's episodes in those strata (its denominator there). */
  comparedA: number;
  comparedB: number;
}

export function mantelHaenszelDifference(pairs: readonly StratumPair[], z: number = Z_95): AdjustedDifference | null {
  let weights = 0;
  let weighted = 0;
  let sumP = 0;
  let sumQ = 0;
  let strata = 0;
  let comparedA = 0;
  let comparedB = 0;
  for (const { countA: a, denominatorA: na, countB: c, denominatorB: nb } of pairs) {
    for (const [count, denominator] of [
      [a, na],
      [c, nb],
    ] as const) {
      if (!Number.isInteger(count) || !Number.isInteger(denominator) || count < 0 || count > denominator) {
        throw new RangeError(`a stratum needs whole numbers 0 <= count <= denominator, got ${count}/${denominator}`);
      }
    }
    if (na === 0 || nb === 0) continue;
    const n = na + nb;
    strata += 1;
    comparedA += na;
    comparedB += nb;
    weights += (na * nb) / n;
    weighted += (a * nb - c * na) / n;
    sumP += (na * na * c - nb * nb * a + (na * nb * (nb - na)) / 2) / (n * n);
    sumQ += (a * (nb - c) + c * (na - a)) / (2 * n);
  }
  if (strata === 0) return null;
  const difference = weighted / weights;
  const variance = (difference * sumP + sumQ) / (weights * weights);
  // Zero only when every stratum is all-or-none on both sides; below zero only by rounding there.
  if (!(variance > 1e-15)) return null;
  const halfWidth = z * Math.sqrt(variance);
  return {
    difference,
    ci_low: Math.max(-1, difference - halfWidth),
    ci_high: Math.min(1, difference + halfWidth),
    strata,
    comparedA,
    comparedB,
  };
}
