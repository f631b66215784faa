import { wilsonBounds, Z_95, Z_99_8 } from './proportion';

/** Control limits around the overall rate p0 for a unit of a given denominator (all 0-1). */
export interface FunnelLimits {
  l95: number;
  u95: number;
  l998: number;
  u998: number;
}

export type FunnelPosition = 'below' | 'within' | 'above';

/**
 * Funnel plot limits (Spiegelhalter 2005, METRICS.md): the Wilson score interval of p0 at the
 * unit's denominator n, at 95% and 99.8%. Null when n is 0 (no unit to place).
 */
export function funnelLimits(p0: number, n: number): FunnelLimits | null {
  if (n === 0) return null;
  const inner = wilsonBounds(p0, n, Z_95);
  const outer = wilsonBounds(p0, n, Z_99_8);
  return { l95: inner.low, u95: inner.high, l998: outer.low, u998: outer.high };
}

/**
 * Where a unit's rate falls against the 99.8% limits. A rate exactly on a limit is within: only a
 * rate beyond it is flagged.
 */
export function funnelPosition(rate: number, limits: FunnelLimits): FunnelPosition {
  if (rate < limits.l998) return 'below';
  if (rate > limits.u998) return 'above';
  return 'within';
}
