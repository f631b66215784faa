/**
 * The p-th percentile (0 <= p <= 1) of the values a histogram counts, exactly as Postgres's
 * percentile_cont(p) computes it over the values themselves (R's quantile type 7): the values in
 * order, position h = p (n - 1) counted from 0, and when h falls between two values, the lower
 * plus (upper - lower) times the fraction of h, in the same floating-point steps as Postgres
 * (float8_lerp), so the cells and the raw rows give the same number to the last bit. Buckets may
 * come in any order, repeat a value, or count 0. Null when nothing is counted, as percentile_cont
 * of no rows.
 */
export function percentileOfHistogram(
  histogram: ReadonlyArray<{ value: number; count: number }>,
  p: number,
): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a percentile is between 0 and 1, got ${p}`);
  const sorted = histogram.filter(({ count }) => count > 0).sort((a, b) => a.value - b.value);
  const n = sorted.reduce((total, { count }) => total + count, 0);
  if (n === 0) return null;
  const position = p * (n - 1);
  const first = Math.floor(position);
  const second = Math.ceil(position);
  const valueAt = (index: number): number => {
    let seen = 0;
    for (const { value, count } of sorted) {
      seen += count;
      if (index < seen) return value;
    }
    throw new RangeError('percentileOfHistogram: index past the end');
  };
  const lower = valueAt(first);
  if (second === first) return lower;
  return lower + (valueAt(second) - lower) * (position - first);
}
