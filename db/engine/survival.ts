/**
 * Kaplan-Meier estimate of time to reliable improvement (METRICS.md), matching R's
 * `survival::survfit` and the median that `print.survfit` reports.
 */

export interface SurvivalObservation {
  /** Session number of the event (reliable improvement reached) or of censoring (last score). */
  time: number;
  event: boolean;
}

/** What the SQL returns: one row per time with how many reached the event or were censored there. */
export interface SurvivalCounts {
  time: number;
  events: number;
  censored: number;
}

export interface SurvivalCurvePoint {
  session: number;
  /** Still at risk just before this session: censorings here count as at risk (R's convention). */
  at_risk: number;
  events: number;
  censored: number;
  /** 1 - S(t) just after this session: the share estimated to have reliably improved by then. */
  improved: number;
}

export interface KaplanMeier {
  n: number;
  events: number;
  /** First session where S(t) <= 0.5 (see `survfitMedian` for exact 0.5); null if never. */
  median_session: number | null;
  /** Every session at which an event or a censoring happened, in order. */
  curve: SurvivalCurvePoint[];
}

/** R's tolerance for "S is exactly 0.5" (sqrt of machine epsilon, as in all.equal). */
const HALF_TOLERANCE = Math.sqrt(Number.EPSILON);

/** Kaplan-Meier from one observation per episode. */
export function kaplanMeier(observations: readonly SurvivalObservation[]): KaplanMeier {
  const byTime = new Map<number, SurvivalCounts>();
  for (const { time, event } of observations) {
    const counts = byTime.get(time) ?? { time, events: 0, censored: 0 };
    if (event) counts.events += 1;
    else counts.censored += 1;
    byTime.set(time, counts);
  }
  return kaplanMeierFromCounts([...byTime.values()]);
}

/**
 * Kaplan-Meier from counts per time (in any order; repeated times are added together).
 * S(t) = product over event times u <= t of (1 - events(u) / at_risk(u)); with ties, events happen
 * before censorings at the same time, so those censored at t are still at risk at t.
 */
export function kaplanMeierFromCounts(rows: readonly SurvivalCounts[]): KaplanMeier {
  const merged = new Map<number, SurvivalCounts>();
  for (const { time, events, censored } of rows) {
    if (!Number.isFinite(time)) throw new RangeError(`survival time must be a finite number, got ${time}`);
    if (!Number.isInteger(events) || !Number.isInteger(censored) || events < 0 || censored < 0) {
      throw new RangeError(`events and censored must be whole numbers >= 0 (time ${time})`);
    }
    const counts = merged.get(time) ?? { time, events: 0, censored: 0 };
    counts.events += events;
    counts.censored += censored;
    merged.set(time, counts);
  }
  const ordered = [...merged.values()].filter((row) => row.events + row.censored > 0).sort((a, b) => a.time - b.time);

  const n = ordered.reduce((total, row) => total + row.events + row.censored, 0);
  let atRisk = n;
  let survival = 1;
  const curve: SurvivalCurvePoint[] = [];
  const survivalAfter: number[] = [];
  for (const { time, events, censored } of ordered) {
    survival *= 1 - events / atRisk;
    curve.push({ session: time, at_risk: atRisk, events, censored, improved: 1 - survival });
    survivalAfter.push(survival);
    atRisk -= events + censored;
  }
  return {
    n,
    events: ordered.reduce((total, row) => total + row.events, 0),
    median_session: survfitMedian(
      curve.map((point) => point.session),
      survivalAfter,
    ),
    curve,
  };
}

/**
 * The median as R's `print.survfit` reports it: the first time S(t) <= 0.5. When S(t) is 0.5
 * exactly (within sqrt(eps)) and later drops below, R takes the midpoint between that time and the
 * time of the next drop, the usual rule for the median of an even-sized sample (for 1, 2, 3, 4
 * uncensored it gives 2.5). If the curve stays at exactly 0.5 to its end, R keeps the first time.
 */
export function survfitMedian(times: readonly number[], survival: readonly number[]): number | null {
  const first = survival.findIndex((value) => value < 0.5 + HALF_TOLERANCE);
  if (first === -1) return null;
  const atHalf = survival[first]!;
  if (Math.abs(atHalf - 0.5) >= HALF_TOLERANCE) return times[first]!;
  const nextDrop = survival.findIndex((value, index) => index > first && value < atHalf);
  return nextDrop === -1 ? times[first]! : (times[first]! + times[nextDrop]!) / 2;
}
