import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/**
 * What the SQL returns instead of rows: count(x), sum(x) and sum(x * x). On integer scores Postgres
 * sums int4 into int8 exactly, and the connection hands int8 back as a JS number.
 */
export interface SufficientStatistics {
  n: number;
  sum: number;
  sumOfSquares: number;
}

export interface MeanWithInterval {
  /** Null when n is 0. */
  value: number | null;
  /** Student t 95% interval on n - 1 degrees of freedom; null when n < 2. */
  ci_low: number | null;
  ci_high: number | null;
}

export function sufficientStatistics(values: readonly number[]): SufficientStatistics {
  let sum = 0;
  let sumOfSquares = 0;
  for (const value of values) {
    sum += value;
    sumOfSquares += value * value;
  }
  return { n: values.length, sum, sumOfSquares };
}

/**
 * Sample variance (n - 1) from sufficient statistics, or null when n < 2.
 *
 * The textbook shortcut (sumOfSquares - sum^2 / n) / (n - 1) subtracts two large, nearly equal
 * numbers, and in floating point that can lose every significant digit. Scores and changes are
 * whole numbers, so when the sums are safe integers we form n * sumOfSquares - sum^2 exactly in
 * BigInt and divide once: the only rounding is the final division. (PHQ-9 changes lie in -27..27,
 * so sum(x^2) <= 729n stays a safe integer for n up to ~1.2e13, and the int8 sums from Postgres are
 * exact.) Non-integer sums fall back to the float shortcut, clamped at 0; callers with raw values
 * get the stable two-pass variance instead (see `meanWithTInterval`).
 */
export function sampleVarianceOf({ n, sum, sumOfSquares }: SufficientStatistics): number | null {
  if (n < 2) return null;
  if (Number.isSafeInteger(n) && Number.isSafeInteger(sum) && Number.isSafeInteger(sumOfSquares)) {
    const bigN = BigInt(n);
    const numerator = bigN * BigInt(sumOfSquares) - BigInt(sum) * BigInt(sum);
    if (numerator < 0n) throw new RangeError('sum of squares is smaller than the sum allows: inconsistent statistics');
    return Number(numerator) / (n * (n - 1));
  }
  return Math.max(0, (sumOfSquares - (sum * sum) / n) / (n - 1));
}

export function sampleStandardDeviationOf(statistics: SufficientStatistics): number | null {
  const variance = sampleVarianceOf(statistics);
  return variance === null ? null : Math.sqrt(variance);
}

/** Two-pass variance of raw values: subtracting the mean first keeps it stable whatever the offset. */
function sampleVarianceOfValues(values: readonly number[]): number | null {
  const n = values.length;
  if (n < 2) return null;
  const mean = values.reduce((total, value) => total + value, 0) / n;
  let squaredDeviations = 0;
  for (const value of values) squaredDeviations += (value - mean) ** 2;
  return squaredDeviations / (n - 1);
}

/**
 * Mean with a 95% Student t interval (n - 1 degrees of freedom), as R's `t.test(x)$conf.int`.
 * A constant sample gives a zero-width interval (R's t.test refuses such data instead).
 */
export function meanWithTInterval(data: readonly number[] | SufficientStatistics, level = 0.95): MeanWithInterval {
  const isValues = Array.isArray(data);
  const statistics = isValues ? sufficientStatistics(data) : (data as SufficientStatistics);
  const { n, sum } = statistics;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number >= 0, got ${n}`);
  if (n === 0) return { value: null, ci_low: null, ci_high: null };
  const mean = sum / n;
  const variance = isValues ? sampleVarianceOfValues(data) : sampleVarianceOf(statistics);
  if (variance === null) return { value: mean, ci_low: null, ci_high: null };
  const halfWidth = tQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(variance / n);
  return { value: mean, ci_low: mean - halfWidth, ci_high: mean + halfWidth };
}

/**
 * Uncontrolled pre-post effect size (Cohen's d, METRICS.md): (mean baseline - mean final) divided
 * by the sample SD (n - 1) of the baseline scores. Positive is improvement. Null when n < 2 or the
 * baseline SD is 0 (every baseline equal: d is undefined, not infinite).
 */
export function prePostEffectSize({
  n,
  meanBaseline,
  meanFinal,
  sdBaseline,
}: {
  n: number;
  meanBaseline: number | null;
  meanFinal: number | null;
  sdBaseline: number | null;
}): number | null {
  if (n < 2 || meanBaseline === null || meanFinal === null || sdBaseline === null || !(sdBaseline > 0)) return null;
  return (meanBaseline - meanFinal) / sdBaseline;
}
