import { describe, expect, test } from 'vitest';
import { kaplanMeier, kaplanMeierFromCounts, type SurvivalObservation } from '../../db/engine/statistics';

const event = (time: number): SurvivalObservation => ({ time, event: true });
const censored = (time: number): SurvivalObservation => ({ time, event: false });
/** Times as survival tables print them: "6 6+ 7" is an event at 6, a censoring at 6, an event at 7. */
const fromTable = (table: string): SurvivalObservation[] =>
  table
    .trim()
    .split(/\s+/)
    .map((entry) => (entry.endsWith('+') ? censored(Number(entry.slice(0, -1))) : event(Number(entry))));

describe('Kaplan-Meier, worked by hand', () => {
  /**
   * Ten episodes: improved at 2, 2, 3, 5, 6; censored at 2, 4, 4, 6, 7. At a tied time the events
   * come first, so the episode censored at 2 is still at risk at 2:
   *   t=2: 10 at risk, 2 events -> S = 8/10
   *   t=3:  7 at risk, 1 event  -> S = 8/10 x 6/7 = 24/35
   *   t=4:  6 at risk, 2 censored, S unchanged
   *   t=5:  4 at risk, 1 event  -> S = 24/35 x 3/4 = 18/35 (0.514, still above 0.5)
   *   t=6:  3 at risk, 1 event, 1 censored -> S = 18/35 x 2/3 = 12/35: the median is 6
   *   t=7:  1 at risk, 1 censored
   */
  const observations = fromTable('2 2 2+ 3 4+ 4+ 5 6 6+ 7+');

  test('curve: at risk, events, censored and improved = 1 - S at each time', () => {
    const result = kaplanMeier(observations);
    expect(result.n).toBe(10);
    expect(result.events).toBe(5);
    expect(result.curve.map(({ improved: _improved, ...counts }) => counts)).toEqual([
      { session: 2, at_risk: 10, events: 2, censored: 1 },
      { session: 3, at_risk: 7, events: 1, censored: 0 },
      { session: 4, at_risk: 6, events: 0, censored: 2 },
      { session: 5, at_risk: 4, events: 1, censored: 0 },
      { session: 6, at_risk: 3, events: 1, censored: 1 },
      { session: 7, at_risk: 1, events: 0, censored: 1 },
    ]);
    const improved = result.curve.map((point) => point.improved);
    const expected = [1 - 8 / 10, 1 - 24 / 35, 1 - 24 / 35, 1 - 18 / 35, 1 - 12 / 35, 1 - 12 / 35];
    improved.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 14));
  });

  test('median: the first session where S <= 0.5', () => {
    expect(kaplanMeier(observations).median_session).toBe(6);
  });

  test('the same counts, pre-aggregated per session and in any order, give the same curve', () => {
    const fromCounts = kaplanMeierFromCounts([
      { time: 6, events: 1, censored: 1 },
      { time: 2, events: 2, censored: 1 },
      { time: 4, events: 0, censored: 2 },
      { time: 3, events: 1, censored: 0 },
      { time: 7, events: 0, censored: 1 },
      { time: 5, events: 1, censored: 0 },
    ]);
    expect(fromCounts).toEqual(kaplanMeier(observations));
  });
});

describe('Kaplan-Meier, published example', () => {
  /**
   * Freireich et al. (1963), the 6-MP arm: weeks in remission, + censored. Published product-limit
   * estimates (Kleinbaum & Klein, Survival Analysis: A Self-Learning Text, chapter 2): 0.857 at 6,
   * 0.807 at 7, 0.753 at 10, 0.690 at 13, 0.627 at 16, 0.538 at 22, 0.448 at 23; median 23 weeks.
   */
  const sixMp = fromTable('6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+');

  test('survival at each event time matches the published table', () => {
    const result = kaplanMeier(sixMp);
    const survivalAt = (week: number) => 1 - result.curve.find((point) => point.session === week)!.improved;
    const published = new Map([
      [6, 0.857],
      [7, 0.807],
      [10, 0.753],
      [13, 0.69],
      [16, 0.627],
      [22, 0.538],
      [23, 0.448],
    ]);
    for (const [week, survival] of published) expect(survivalAt(week)).toBeCloseTo(survival, 3);
    // Exactly: 18/21, then x 16/17, 14/15, 11/12, 10/11, 6/7, 5/6.
    expect(survivalAt(23)).toBeCloseTo(
      (18 / 21) * (16 / 17) * (14 / 15) * (11 / 12) * (10 / 11) * (6 / 7) * (5 / 6),
      14,
    );
  });

  test('counts and median', () => {
    const result = kaplanMeier(sixMp);
    expect(result.n).toBe(21);
    expect(result.events).toBe(9);
    expect(result.median_session).toBe(23);
    expect(result.curve.find((point) => point.session === 22)!.at_risk).toBe(7);
    expect(result.curve.at(-1)).toMatchObject({ session: 35, at_risk: 1, events: 0, censored: 1 });
  });
});

describe('Kaplan-Meier median where S is exactly 0.5 (R survival print.survfit)', () => {
  test('S = 0.5 and later a drop: the midpoint, as the ordinary median of 1, 2, 3, 4 is 2.5', () => {
    // No censoring: S(2) = 2/4 = 0.5, S(3) = 1/4. R: survfit(Surv(1:4) ~ 1) prints median 2.5.
    expect(kaplanMeier([event(1), event(2), event(3), event(4)]).median_session).toBe(2.5);
  });

  test('S = 0.5 across a censoring: the midpoint with the next drop, not with the censoring', () => {
    // S(1) = 3/4, S(2) = 3/4 x 2/3 = 0.5, censored at 3 (S stays 0.5), S(4) = 0: median (2 + 4)/2.
    expect(kaplanMeier([event(1), event(2), censored(3), event(4)]).median_session).toBe(3);
  });

  test('S = 0.5 to the end of the curve: the time it got there', () => {
    expect(kaplanMeier([event(1), event(2), censored(3), censored(4)]).median_session).toBe(2);
  });

  test('S never reaches 0.5: no median', () => {
    const result = kaplanMeier([event(1), censored(2), censored(3), censored(4)]);
    expect(result.median_session).toBeNull();
    expect(result.curve[0]!.improved).toBe(0.25);
  });
});

describe('Kaplan-Meier edges', () => {
  test('no observations: an empty curve', () => {
    expect(kaplanMeier([])).toEqual({ n: 0, events: 0, median_session: null, curve: [] });
  });

  test('everyone improves at once: improved reaches exactly 1', () => {
    const result = kaplanMeier([event(3), event(3)]);
    expect(result.curve).toEqual([{ session: 3, at_risk: 2, events: 2, censored: 0, improved: 1 }]);
    expect(result.median_session).toBe(3);
  });

  test('refuses negative or fractional counts', () => {
    expect(() => kaplanMeierFromCounts([{ time: 1, events: -1, censored: 0 }])).toThrow(RangeError);
    expect(() => kaplanMeierFromCounts([{ time: 1, events: 0.5, censored: 0 }])).toThrow(RangeError);
  });
});
