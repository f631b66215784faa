import { describe, expect, test } from 'vitest';
import { DEFINITIONS_VERSION } from '../../db/definitions';
import { methods } from '../../db/methods';
import { formatPercent } from '../../app/utils/format';
import { valueLabel } from '../../app/utils/labels';

// The methods page text, checked against METRICS.md as a reader would read it.
const page = methods();
const entry = (id: string) => page.sections.flatMap((section) => section.entries).find((item) => item.id === id)!;

describe('methods page text', () => {
  test('is versioned and every entry has a definition and a source', () => {
    expect(page.definitions_version).toBe(DEFINITIONS_VERSION);
    const entries = page.sections.flatMap((section) => section.entries);
    expect(entries.length).toBeGreaterThan(20);
    for (const item of entries) {
      expect(item.definition.length, item.id).toBeGreaterThan(20);
      expect(item.source.length, item.id).toBeGreaterThan(3);
    }
    expect(new Set(entries.map((item) => item.id)).size).toBe(entries.length);
  });

  test('instrument thresholds and bands as METRICS.md states them', () => {
    const phq = entry('phq9').definition;
    expect(phq).toContain('0-27');
    expect(phq).toContain('44261-6');
    expect(phq).toContain('10 or more');
    expect(phq).toContain('6 points or more');
    expect(phq).toContain('below 5');
    expect(phq).toContain('0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe');
    const gad = entry('gad7').definition;
    expect(gad).toContain('8 or more');
    expect(gad).toContain('4 points or more');
    expect(gad).toContain('0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe');
  });

  test('the baseline severity band: its caseness per instrument, no band under the combined definition', () => {
    const band = entry('severity-band').definition;
    expect(band).toContain('10 on the PHQ-9 and 8 on the GAD-7');
    expect(band).toContain('No baseline score');
    expect(band).toContain('combined definition no episode has one');
  });

  test("the difference of two modalities names Newcombe's method and its formula", () => {
    const difference = entry('difference').definition;
    expect(difference).toContain('lower = d - sqrt((p1 - l1)^2 + (u2 - p2)^2)');
    expect(difference).toContain('upper = d + sqrt((u1 - p1)^2 + (p2 - l2)^2)');
    expect(entry('difference').source).toContain('Newcombe 1998');
  });

  test('episode rules, intervals and suppression carry their numbers', () => {
    expect(entry('finished').definition).toContain('at least 2 attended sessions');
    expect(entry('dropout').definition).toContain('at least 1 attended session');
    expect(entry('response').definition).toContain('at most 50% of the baseline');
    expect(entry('recovery').definition).toContain('10 on the PHQ-9 and 8 on the GAD-7');
    expect(entry('wilson').definition).toContain('1.959964');
    expect(entry('funnel').definition).toContain('3.090232');
    expect(entry('small-cells').definition).toContain('under 11');
    expect(entry('small-cells').definition).toContain('below 5');
    expect(entry('small-cells').definition).toContain('secondary suppression');
    expect(entry('k-anonymity').definition).toContain('shared by at least 11 people');
    expect(entry('k-anonymity').definition).toContain('counted in the list');
    // The rule in force, not the default: a server with MIN_CELL=14 says 14.
    const raised = methods(14)
      .sections.flatMap((section) => section.entries)
      .find((item) => item.id === 'small-cells')!;
    expect(raised.definition).toContain('under 14');
    expect(raised.definition).not.toContain('under 11');
    expect(entry('time-to-improvement').definition).toContain('midpoint');
    expect(entry('trend').definition).toContain('count only episodes short enough to have ended by then');
    expect(entry('time-to-improvement').definition).toContain(
      'rises higher than the share of paired episodes that improved',
    );
    expect(entry('early-dropout').definition).toContain('ended after 1 session whatever the reason');
    expect(entry('early-dropout').definition).toContain('dropped out before session 4');
    expect(entry('ongoing').definition).toContain('at least the reliable change (6 on the PHQ-9 and 4 on the GAD-7)');
    expect(entry('ongoing').definition).toContain('fewer than 11 ongoing episodes is withheld whole');
    expect(entry('ongoing').definition).toContain('1 to 10 episodes is withheld');
    expect(entry('ongoing').definition).toContain('Open 12 months or more');
    expect(entry('staffing-caseload').definition).toContain('Counts of 1 to 10 are withheld');
    expect(entry('conditions').definition).toContain('depression F32, F33, F34.1');
    expect(entry('conditions').definition).toContain('eating F50.2, F50.81');
  });

  test('says how figures are printed as the pages print them', () => {
    // 7 of 12 reads 58.3% on a page and 58.3 in its file: rounded, so not "shown unrounded".
    expect(formatPercent(7 / 12)).toBe('58.3%');
    expect(entry('wilson').definition).not.toContain('shown unrounded');
    expect(entry('wilson').definition).toContain('to one decimal place');
    // A missing delivery mode is a group the pages call "Not recorded"; "none" is only the filter's spelling.
    expect(valueLabel('delivery', null)).toBe('Not recorded');
    expect(entry('missing-values').definition).toContain('shown as "Not recorded"');
    expect(entry('missing-values').definition).not.toContain('shown as "none"');
  });
});

describe('methods page: staffing', () => {
  // Worked by hand from issue 6's rules and the review's defaults: 12 months of demand, 25 sessions
  // per FTE-week, 46 weeks worked a year. 100 episodes of 12 attended sessions with 11% of booked
  // sessions missed book 12 / 0.89 = 13.483 each, 1,348.3 a year, / 46 = 29.31 a week, / 25 = 1.17
  // FTE; the old plan (attended only, / 52.18 weeks): 1,200 / 52.18 / 25 = 0.92 FTE; 1.17 / 0.92 = 1.27.
  test('states every assumption of the plan with its number', () => {
    expect(page.sections.map((section) => section.id)).toContain('staffing');
    expect(entry('staffing-demand').definition).toContain('latest 12 months');
    expect(entry('staffing-demand').definition).toContain('not a waiting list');
    const sessions = entry('staffing-sessions').definition;
    expect(sessions).toContain('ended in the same 12 months');
    expect(sessions).toContain('over all locations together');
    expect(sessions).toContain("still takes the clinician's booked slot");
    expect(sessions).toContain('an episode books mean attended / (1 - r) sessions');
    expect(sessions).toContain('the plan books attended sessions only');
    expect(entry('staffing-capacity').definition).toContain('split evenly over the modalities');
    expect(entry('staffing-capacity').definition).toContain(
      '(sessions in a week worked, 25 unless the planner says otherwise)',
    );
    const plan = entry('staffing-plan').definition;
    expect(plan).toContain('x (mean attended + mean missed sessions per episode) / weeks worked a year');
    expect(plan).toContain('Weeks worked a year is 46 unless the planner says otherwise (a whole number from 30 to 52');
    expect(plan).toContain('52 less six weeks of leave, public holidays, training and sickness');
    expect(plan).toContain('100 x 12 / 0.89 / 46 / 25 = 1.17 FTE');
    expect(plan).toContain('gives 0.92 FTE here: the plan now asks for 1.27 times as much');
    expect(entry('staffing-plan').source).toContain('planning assumption');
    // The old advice to fold leave and missed slots into sessions per FTE-week is gone.
    expect(plan).not.toContain('averaged over');
    expect(plan).not.toContain('leave, training and sickness included');
    // The waits beside it are getAccessWaits' over every episode, not the demand months.
    expect(plan).toContain('over every episode with a wait recorded, of every period');
  });
});
