import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/**
 * Two-sided normal quantiles. METRICS.md prints them as 1.959964 and 3.090232; we use the exact
 * quantiles (1.959963984540054, 3.090232306167813) because that is what R's `prop.test` uses
 * (`qnorm(0.975)`), so intervals agree with R to the last digit rather than to ~3e-9.
 */
export const Z_95 = normalQuantile(0.975, 0, 1);
export const Z_99_8 = normalQuantile(0.999, 0, 1);

export interface Proportion {
  count: number;
  denominator: number;
  /** count / denominator, 0-1, unrounded; null when the denominator is 0. */
  rate: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

export interface Bounds {
  low: number;
  high: number;
}

/**
 * Wilson score interval of a proportion p observed over n (n > 0):
 * (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n).
 * Like R's `prop.test(correct = FALSE)`, p = 0 gives a lower bound of exactly 0 and p = 1 an upper
 * bound of exactly 1 (the formula would land there only up to rounding).
 */
export function wilsonBounds(p: number, n: number, z: number): Bounds {
  if (!(n > 0)) throw new RangeError(`Wilson interval needs n > 0, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`Wilson interval needs 0 <= p <= 1, got ${p}`);
  const zSquaredOver2n = (z * z) / (2 * n);
  const centre = p + zSquaredOver2n;
  const halfWidth = z * Math.sqrt((p * (1 - p)) / n + zSquaredOver2n / (2 * n));
  const scale = 1 + 2 * zSquaredOver2n;
  return {
    low: p === 0 ? 0 : Math.max(0, (centre - halfWidth) / scale),
    high: p === 1 ? 1 : Math.min(1, (centre + halfWidth) / scale),
  };
}

/** A count over a denominator with its Wilson score interval (95% unless z says otherwise). */
export function wilsonInterval(count: number, denominator: number, z: number = Z_95): Proportion {
  if (!Number.isInteger(count) || !Number.isInteger(denominator) || count < 0 || count > denominator) {
    throw new RangeError(`a proportion needs whole numbers 0 <= count <= denominator, got ${count}/${denominator}`);
  }
  if (denominator === 0) return { count, denominator, rate: null, ci_low: null, ci_high: null };
  const rate = count / denominator;
  const { low, high } = wilsonBounds(rate, denominator, z);
  return { count, denominator, rate, ci_low: low, ci_high: high };
}

/** The difference of two rates, a - b (-1 to 1), with its 95% interval. */
export interface RateDifference {
  difference: number;
  ci_low: number;
  ci_high: number;
}

/**
 * The difference of two independent proportions, a - b, with Newcombe's hybrid score interval
 * (Newcombe 1998, method 10), built from each rate's Wilson interval (l, u):
 * lower = d - sqrt((pa - la)^2 + (ub - pb)^2), upper = d + sqrt((ua - pa)^2 + (pb - lb)^2).
 * Unlike the textbook Wald interval it stays within -1 to 1 and behaves at rates of 0 and 1 and in
 * small groups, and it needs nothing the Wilson intervals do not already give (so two figures
 * shown side by side and their difference always agree). Null when either has no rate.
 */
export function newcombeDifference(
  a: Pick<Proportion, 'rate' | 'ci_low' | 'ci_high'>,
  b: Pick<Proportion, 'rate' | 'ci_low' | 'ci_high'>,
): RateDifference | null {
  if (a.rate === null || a.ci_low === null || a.ci_high === null) return null;
  if (b.rate === null || b.ci_low === null || b.ci_high === null) return null;
  const difference = a.rate - b.rate;
  return {
    difference,
    ci_low: difference - Math.hypot(a.rate - a.ci_low, b.ci_high - b.rate),
    ci_high: difference + Math.hypot(a.ci_high - a.rate, b.rate - b.ci_low),
  };
}
