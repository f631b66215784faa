import {
  AGE_BANDS,
  bandRanges,
  CONDITION_PREFIXES,
  CONDITIONS,
  DEFAULT_MIN_CELL,
  DEFINITIONS_VERSION,
  EPISODE_RULES,
  type Instrument,
  INSTRUMENT_DEFINITIONS,
  INSTRUMENTS,
  LENGTH_BANDS,
  MIN_CELL_FLOOR,
  QUALITY_RULES,
  SEVERITY_BAND_READING,
  STAFFING_RULES,
} from './definitions';
import { Z_95, Z_99_8 } from './engine/statistics';

/**
 * The methods page as data: every definition, threshold, interval and privacy rule the figures
 * rest on, in the project's own words, each with its source. Numbers are rendered from
 * db/definitions.ts (and the engine's constants), so the page cannot disagree with the SQL.
 * The dashboard renders it; the API's documentation links to it.
 */

export interface MethodsEntry {
  /** Stable anchor for links (#recovery). */
  id: string;
  term: string;
  definition: string;
  source: string;
}

export interface MethodsSection {
  id: string;
  title: string;
  entries: MethodsEntry[];
}

export interface Methods {
  definitions_version: string;
  sections: MethodsSection[];
}

const NHS = 'NHS Talking Therapies (formerly IAPT) metric definitions, NHS Digital; NHS England dashboard SQL';
const percent = (share: number) => `${Math.round(share * 100)}%`;

function bandsText(bands: ReadonlyArray<readonly [string, number]>, highest: number | null): string {
  return bandRanges(bands, highest)
    .map(({ band, lowest, highest: upper }) => {
      const range = upper === null ? `${lowest} and over` : `${lowest}-${upper}`;
      return `${range} ${band.replaceAll('_', ' ')}`;
    })
    .join(', ');
}

function instrumentEntry(name: Instrument): MethodsEntry {
  const rule = INSTRUMENT_DEFINITIONS[name];
  return {
    id: name.toLowerCase().replace(/[^a-z0-9]/g, ''),
    term: name,
    definition:
      `Total score 0-${rule.maxScore} (LOINC ${rule.loinc}). At caseness ("clinical range") when the score is ` +
      `${rule.caseness} or more. A change of ${rule.reliableChange} points or more between first and last score is ` +
      `reliable. Remission is a last score below ${rule.remissionBelow}. Severity bands: ` +
      `${bandsText(rule.severityBands, rule.maxScore)}.`,
    source: `${NHS}; Kroenke, Spitzer & Williams 2001 (PHQ-9 bands); Spitzer et al. 2006 (GAD-7)`,
  };
}

const caseness = (field: 'caseness' | 'reliableChange') =>
  INSTRUMENTS.map((name) => `${INSTRUMENT_DEFINITIONS[name][field]} on the ${name}`).join(' and ');

/** `minCell`: the server's minimum cell size (MIN_CELL), so the page states the rule in force. */
export function methods(minCell: number = DEFAULT_MIN_CELL): Methods {
  const episode: MethodsEntry[] = [
    {
      id: 'baseline-final',
      term: 'Baseline and final score',
      definition:
        "An episode's scores on one instrument are put in session order: the first is the baseline, the last the final score.",
      source: NHS,
    },
    {
      id: 'paired',
      term: 'Paired',
      definition: 'At least two scores on the instrument, at different sessions.',
      source: NHS,
    },
    {
      id: 'finished',
      term: 'Finished treatment',
      definition: `The episode has ended, for any reason, after at least ${EPISODE_RULES.finishedMinSessions} attended sessions.`,
      source: `${NHS} (a referral that ended with two or more treatment contacts)`,
    },
    {
      id: 'outcome-cohort',
      term: 'Outcome cohort',
      definition:
        'Finished treatment and paired on the instrument. For the combined measure: finished and paired on both the PHQ-9 and the GAD-7.',
      source: NHS,
    },
    {
      id: 'reliable-improvement',
      term: 'Reliable improvement',
      definition: `The score fell by at least the reliable change (${caseness('reliableChange')}) from baseline to final. Out of the outcome cohort.`,
      source: `${NHS}; Jacobson & Truax 1991`,
    },
    {
      id: 'reliable-deterioration',
      term: 'Reliable deterioration',
      definition: 'The score rose by at least the reliable change from baseline to final. Out of the outcome cohort.',
      source: NHS,
    },
    {
      id: 'recovery',
      term: 'Recovery',
      definition: `At caseness at baseline (${caseness('caseness')} or more) and below it at the end. Out of the outcome cohort who were at caseness at baseline.`,
      source: `${NHS} (worked example, December 2020: 23,291 / (48,111 - 2,957) = 51.6%)`,
    },
    {
      id: 'reliable-recovery',
      term: 'Reliable recovery',
      definition: 'Recovery together with reliable improvement. Same denominator as recovery.',
      source: NHS,
    },
    {
      id: 'response',
      term: 'Response',
      definition: `A final score at most ${percent(EPISODE_RULES.responseShare)} of the baseline. Out of the outcome cohort at caseness at baseline. Nearly neutral to baseline severity, so the fairest headline for comparisons.`,
      source: 'NCQA HEDIS and NQF 0710 (depression response and remission)',
    },
    {
      id: 'remission',
      term: 'Remission',
      definition: `A final score below ${INSTRUMENT_DEFINITIONS['PHQ-9'].remissionBelow}. Out of the outcome cohort at caseness at baseline. It favours services that see milder cases.`,
      source: 'NCQA HEDIS and NQF 0710',
    },
    {
      id: 'dropout',
      term: 'Dropout',
      definition: `The episode ended with the reason "dropped out". Out of ended episodes with at least ${EPISODE_RULES.dropoutMinSessions} attended session.`,
      source: NHS,
    },
    {
      id: 'paired-completeness',
      term: 'Paired-score completeness',
      definition: 'Outcome cohort divided by finished treatment. NHS services reach about 98%.',
      source: NHS,
    },
    {
      id: 'combined',
      term: 'Combined (PHQ-9 and GAD-7)',
      definition:
        'Over episodes paired on both instruments. Recovery: at caseness on either at baseline and below caseness on both at the end. Reliable improvement: reliable improvement on at least one and reliable deterioration on neither. Reliable deterioration: the reverse. Reliable recovery: recovery with combined reliable improvement.',
      source: NHS,
    },
  ];

  const aggregates: MethodsEntry[] = [
    {
      id: 'wilson',
      term: 'Rates and their intervals',
      definition: `Every rate is a count over its denominator, shown beside them with a Wilson score 95% interval (z = ${Z_95.toFixed(6)}), which behaves well for small groups and rates near 0 or 1. Rates and intervals are computed unrounded (the analyst API gives them so) and shown as percentages to one decimal place on the pages and in their downloads.`,
      source: 'Wilson 1927; the same as R prop.test(x, n, correct = FALSE)',
    },
    {
      id: 'difference',
      term: 'Difference of two modalities',
      definition:
        "On Compare, one modality's rate minus another's (IPT minus CBT unless chosen otherwise), in percentage points, over every value of the compared dimension and within each, with a 95% interval by Newcombe's hybrid score method: from the two rates' Wilson intervals (l, u), lower = d - sqrt((p1 - l1)^2 + (u2 - p2)^2) and upper = d + sqrt((u1 - p1)^2 + (p2 - l2)^2). It stays within -100 to 100 points and behaves at rates of 0% and 100% and in small groups, where the textbook (Wald) interval does not. An interval that leaves out 0 marks a difference chance alone would rarely give; one that holds 0 does not show the two alike. Raw rates: a difference can be who each modality treats. Where either rate is withheld, or has no one to count, there is no difference.",
      source: 'Newcombe 1998 (Statistics in Medicine 17:873-890, method 10)',
    },
    {
      id: 'adjusted-difference',
      term: 'Difference of two modalities, adjusted for case mix',
      definition: `Beside each raw difference on Compare (and from the analyst API's /api/v1/difference), the same two modalities compared within strata of baseline severity band x condition group (condition group alone under the NHS combined definition), as the funnel's case mix: the Mantel-Haenszel difference, sum over strata of (a1 n2 - a2 n1) / N, over the sum of n1 n2 / N, where a stratum holds a1 of n1 episodes of the first modality meeting the rate and a2 of n2 of the second, N = n1 + n2. Each stratum so counts by how many of both it holds, and a stratum only one of them treats (IPSRT treats bipolar disorder only) counts for nothing: the answer is for the case mix they share, and the episodes each brings to it are shown beside it. Its 95% interval (z = ${Z_95.toFixed(6)}) is from Sato's variance, which holds with a few large strata or many small ones; it is what R metafor::rma.mh gives. It is withheld where either modality has fewer than ${minCell} episodes in the strata compared; with no interval to give (every compared episode alike on each side) none is shown. It adjusts only for what the strata record: who is treated can differ in other ways too.`,
      source: 'Mantel & Haenszel 1959; Greenland & Robins 1985; Sato 1989 (Biometrics 45:1323-1324)',
    },
    {
      id: 'sessions',
      term: 'Attended sessions',
      definition: 'Mean and median attended sessions are over finished episodes.',
      source: 'This project (issue 4)',
    },
    {
      id: 'mean-change',
      term: 'Mean change',
      definition:
        'Final minus baseline, averaged over the outcome cohort (negative is improvement), with a 95% interval from Student t on n - 1 degrees of freedom. Mean baseline is over the same cohort.',
      source: 'Student 1908; as R t.test',
    },
    {
      id: 'effect-size',
      term: 'Pre-post effect size (d)',
      definition:
        'Mean baseline minus mean final, divided by the sample standard deviation (n - 1) of the baseline scores, over the outcome cohort. Undefined where every baseline is the same (no spread to divide by). Uncontrolled: it also counts change that would have happened anyway. Routine care reaches about 0.96 for depression and 0.80 for anxiety.',
      source: 'Cohen 1988; Gaskell et al. 2022 (benchmarks); Pybis et al. 2017',
    },
    {
      id: 'length-band',
      term: 'Treatment length band',
      definition: `By attended sessions: ${LENGTH_BANDS.map(([label]) => label).join(', ')}.`,
      source: 'This project; classic IPT is 12-16 sessions, NHS courses average about 7',
    },
    {
      id: 'severity-band',
      term: 'Baseline severity band',
      definition: `The band of an episode's baseline score on the instrument asked (the bands are under Instruments): a dimension to compare modalities by, and a filter of the outcome pages, the episode list and the analyst API (severity_band). An episode without a baseline score has none ("No baseline score"; "none" in a filter); under the NHS combined definition no episode has one, as it has two baselines, so neither is offered. Recovery, reliable recovery, response and remission count only episodes at caseness at baseline (${caseness('caseness')}), so bands below caseness have none to count. ${SEVERITY_BAND_READING} The quality audits and staffing pages do not apply it: they count episodes over both instruments, or without one.`,
      source: 'Kroenke, Spitzer & Williams 2001 (PHQ-9 bands); Spitzer et al. 2006 (GAD-7); this project',
    },
    {
      id: 'time-to-improvement',
      term: 'Time to reliable improvement',
      definition:
        'A Kaplan-Meier curve over paired episodes, ended or not. The time is the session of the first score at or below baseline minus the reliable change; an episode that never gets there is censored at its last scored session. The median is as R survfit reports it: the first session at which the share not yet improved is at or below one half; where it is exactly one half and drops below later, the midpoint between that session and the session of the next drop, as the median of an even-sized sample is taken. Censoring assumes an episode that stopped being scored before it improved (it ended, dropped out or is still going) would have improved later like those still scored; people who stop early often would not, so the curve rises higher than the share of paired episodes that improved, which the page gives beside it. People tend to stop when they feel better, so this curve is not a dose-response curve.',
      source: 'Kaplan & Meier 1958; as R survival::survfit; Barkham et al. 2006 (good-enough level)',
    },
    {
      id: 'case-mix',
      term: 'Case-mix adjustment',
      definition:
        "Indirect standardisation over baseline severity band x condition group (under the NHS combined definition, condition group alone: its two instruments have no one baseline severity band). A unit (a location, a modality or a clinician) has as expected count the sum, over its episodes, of the rate of their stratum in the whole filtered population; O/E is observed over expected, and the adjusted rate is O/E times the overall rate. A modality is so compared with every modality's results for the same conditions and severities; where it treats nearly all of a stratum (IPSRT, offered for bipolar disorder only), that stratum's rate is mostly its own, and its adjusted rate says little about it against the others.",
      source: 'Indirect standardisation (e.g. Breslow & Day 1987)',
    },
    {
      id: 'funnel',
      term: 'Funnel plot',
      definition: `Each unit's rate against its denominator, with 95% and 99.8% limits (z = ${Z_95.toFixed(6)} and ${Z_99_8.toFixed(6)}) around the overall rate, from the Wilson interval of the overall rate at that denominator. On the outcome funnels the rate plotted and judged is the case-mix adjusted one, so a unit is not flagged for the severity of whom it treats; the safety funnels are unadjusted. A unit is flagged only beyond the 99.8% limits. Funnel plots, not league tables.`,
      source: 'Spiegelhalter 2005',
    },
    {
      id: 'trend',
      term: 'Trend',
      definition:
        'Rates by quarter of episode end, with p-chart limits three standard errors either side of the pooled rate. An episode without an end month belongs to no period. The first quarters of the data count only episodes short enough to have ended by then, and the latest quarter may be incomplete, so a quarter outside the limits at either edge may be the edge of the data; the page names those quarters.',
      source: 'Shewhart p-chart; Montgomery, Introduction to Statistical Quality Control',
    },
    {
      id: 'missing-values',
      term: 'Missing values',
      definition:
        'A missing problem area, age band or delivery mode forms its own group, shown as "Not recorded" on the pages and in their downloads (null in the analyst API, and "none" when chosen in a filter); so does a missing baseline severity band, shown as "No baseline score".',
      source: 'This project (issue 4)',
    },
  ];

  const conditions = CONDITIONS.filter((condition) => condition !== 'other').map((condition) => {
    const prefixes = CONDITION_PREFIXES.filter(([, group]) => group === condition).map(([prefix]) =>
      prefix.length > 3 ? `${prefix.slice(0, 3)}.${prefix.slice(3)}` : prefix,
    );
    return `${condition.replaceAll('_', ' ')} ${prefixes.join(', ')}`;
  });

  const privacy: MethodsEntry[] = [
    {
      id: 'small-cells',
      term: 'Small groups withheld',
      definition: `A group whose outcome cohort is under ${minCell} is withheld whole, its counts too; any other figure whose own denominator is under ${minCell} is withheld. So a group with no one in its outcome cohort is withheld too, however many episodes it holds: the band of 0 attended sessions always is, since finishing treatment takes ${EPISODE_RULES.finishedMinSessions} attended sessions. "Withheld" means this rule and nothing else: in a shown group, a figure with no one in its own denominator (no one at caseness, say) or one its definition leaves undefined has no value either, and says why. Where a figure shown beside it pools the withheld ones (the mean line of a trend, the overall rate of a funnel, a series total or a modality's month on the staffing pages), the next smallest figures are withheld too, until what subtraction would leave is itself at least ${minCell} (secondary suppression). This is done on the server, for pages, downloads and the API alike. The threshold can be raised, never set below ${MIN_CELL_FLOOR}.`,
      source: 'CMS cell size suppression policy (no counts of 1-10); NHS England dashboards (counts under 5 hidden)',
    },
    {
      id: 'de-identification',
      term: 'De-identification',
      definition: `No names, contact details or record numbers are stored; episode, client and clinician identifiers are kept only as keyed pseudonyms. Age is kept as a band (${AGE_BANDS.map(([label]) => label).join(', ')}). Months of start and end are kept, finer than HIPAA Safe Harbor's year, under an expert-determination view.`,
      source: 'HIPAA Safe Harbor, 45 CFR 164.514(b)(2); expert determination, 164.514(b)(1)',
    },
    {
      id: 'k-anonymity',
      term: 'Episode lists single no one out',
      definition: `A row of the quality team's episode list shows four quasi-identifiers: age band, condition, location and modality. Where fewer than ${minCell} people (distinct clients, over the whole warehouse) share a row's four, the row shows "withheld" for the age band, then the condition, the location and the modality, one at a time, until the values still shown are shared by at least ${minCell} people. What the list's filters chose counts as shown, since a list filtered to one age band tells every row's: such an identifier is never the one withheld, and an episode the filters alone narrow to fewer than ${minCell} people is counted in the list's total but not listed. Sorting by a withheld column sorts by what is shown. Done on the server, for the page and its download alike.`,
      source: 'k-anonymity (Sweeney 2002), with k the minimum cell size',
    },
    {
      id: 'conditions',
      term: 'Condition groups',
      definition: `Diagnoses (ICD-10-CM) are grouped by code prefix, so codes from before and after the FY2025 changes land together: ${conditions.join('; ')}; everything else is other.`,
      source: 'ICD-10-CM (CDC/NCHS)',
    },
  ];

  const demandMonths = STAFFING_RULES.demandWindowMonths;
  const perFte = STAFFING_RULES.sessionsPerFteWeek;
  const weeks = STAFFING_RULES.weeksWorkedPerYear;
  const weeksRange = STAFFING_RULES.weeksWorkedRange;
  // A worked example at the default inputs: 100 episodes a year of 12 attended sessions, 11% of
  // booked sessions missed (about IPT's rate on the demo data), against the plan before the
  // inputs existed (every one of the 365.25 / 7 weeks of the year worked, missed slots left out).
  const example = { episodes: 100, attended: 12, missedRate: 0.11 };
  const exampleFte = (example.episodes * (example.attended / (1 - example.missedRate))) / weeks / perFte;
  const calendarWeeks = 365.25 / 7;
  const exampleOld = (example.episodes * example.attended) / calendarWeeks / perFte;
  const staffing: MethodsEntry[] = [
    {
      id: 'staffing-demand',
      term: 'Demand',
      definition: `New episodes by start month over the latest ${demandMonths} months of data (ending with the latest start or end month of the episodes in view), per modality and per modality and location, with a least-squares trend in new episodes per month. It is the flow of new episodes, not a waiting list: a backlog of people already waiting is not in it. Small months are withheld as on every page (secondary suppression included).`,
      source: 'This project (issue 6)',
    },
    {
      id: 'staffing-sessions',
      term: 'Sessions per episode',
      definition: `The mean attended sessions of the modality's episodes that ended in the same ${demandMonths} months, over all locations together (dropouts and every other ending included), so a location is planned at its modality's mean, not its own. A missed appointment (did not attend, late cancellation) still takes the clinician's booked slot, so the plan books the mean missed sessions too: with the missed-session rate r that the demand page shows per modality (missed / (attended + missed), over episodes with a missed count), an episode books mean attended / (1 - r) sessions, mean attended x r / (1 - r) of them missed. Where no episode of the modality records missed sessions, the data does not say, and the plan books attended sessions only (the page says "Not recorded"); where the rate is withheld, so are the needs made from it. The planner can leave missed appointments out ("Missed appointments take a slot" unticked; missed=off in the address).`,
      source: 'This project (issue 6)',
    },
    {
      id: 'staffing-capacity',
      term: 'Capacity',
      definition: `From the clinician roster (clinicians.csv): a clinician's FTE is split evenly over the modalities they practise (the roster states no other split), and the sessions a week it delivers are FTE x sessions per FTE-week (sessions in a week worked, ${perFte} unless the planner says otherwise). Roster figures are about staff, not patients, so they are not withheld as small cells.`,
      source: 'This project (issue 6)',
    },
    {
      id: 'staffing-caseload',
      term: 'Caseload now',
      definition: `Episodes still in treatment (no end month yet) per location and modality, beside the FTE the roster has there (split as for capacity), and ongoing episodes per FTE. Where clinicians are loaded today, while the plan below sizes the flow of new episodes. An episode the clinic never closed in its records counts as ongoing: a caseload far above its peers' is worth checking for such episodes (the safety audit lists the ongoing episodes). Counts of 1 to ${minCell - 1} are withheld, and so is the next smallest count where the total would give one back (secondary suppression).`,
      source: 'This project (session 14)',
    },
    {
      id: 'staffing-plan',
      term: 'Staffing plan',
      definition: `Planned episodes a year = new episodes in the ${demandMonths} months x 12 / ${demandMonths} x (1 + growth in referrals); sessions a week needed = planned episodes x (mean attended + mean missed sessions per episode) / weeks worked a year; FTE needed = sessions a week needed / sessions per FTE-week; gap = FTE on the roster - FTE needed (negative: short). Weeks worked a year is ${weeks} unless the planner says otherwise (a whole number from ${weeksRange.min} to ${weeksRange.max}, weeks= in the address): 52 less six weeks of leave, public holidays, training and sickness, a common planning figure for clinical staff. It is an assumption, not read from the data: enter your clinics' own. Sessions per FTE-week is then what a full-time clinician delivers in a week worked. For example, ${example.episodes} episodes a year of ${example.attended} attended sessions with ${example.missedRate * 100}% of booked sessions missed need ${example.episodes} x ${example.attended} / ${(1 - example.missedRate).toFixed(2)} / ${weeks} / ${perFte} = ${exampleFte.toFixed(2)} FTE. Until 2026-11 the plan spread the year's attended sessions over all ${calendarWeeks.toFixed(2)} weeks of the year (365.25 / 7) and left missed appointments out, which gives ${exampleOld.toFixed(2)} FTE here: the plan now asks for ${(exampleFte / exampleOld).toFixed(2)} times as much; ${weeksRange.max} weeks with missed appointments left out comes within 0.4% of that figure. The waits beside the plan (median, and the share seen within 42 days) are over every episode with a wait recorded, of every period, not only the demand months; the plan itself does not size a waiting list.`,
      source:
        'This project (issue 6); weeks worked: a planning assumption for clinical staff (52 weeks less leave, public holidays and training), used by the clinical review of 2026-11-27',
    },
  ];

  const [sixWeeks, eighteenWeeks] = QUALITY_RULES.waitWithinDays;
  const [sixWeekShare, eighteenWeekShare] = QUALITY_RULES.waitStandardShares;
  const quality: MethodsEntry[] = [
    {
      id: 'waits',
      term: 'Waits to the first session (access audit)',
      definition: `Days from referral to the first session (wait_days in the export), over the episodes with a wait recorded: the median and 90th percentile (interpolated, as R quantile type 7) and the share seen within ${sixWeeks} days (6 weeks) and within ${eighteenWeeks} days (18 weeks), each inclusive, with Wilson 95% intervals. The NHS standard for talking therapies expects ${percent(sixWeekShare)} of referrals to start treatment within 6 weeks and ${percent(eighteenWeekShare)} within 18 weeks; the Access charts draw both as dashed lines, and its tables say of each share whether it meets its standard (at least the standard's share: the share itself is judged, as the completeness target is). The national measure counts the people who finished a course in the period; these shares count every episode with a wait recorded, finished or not (with a period chosen, those that ended in it).`,
      source: 'NHS England, Mental health access and waiting time standards (2015); this project (issue 6)',
    },
    {
      id: 'early-dropout',
      term: 'Early dropout (safety audit)',
      definition: `Of the episodes that ended with at least ${EPISODE_RULES.dropoutMinSessions} attended session (the dropout denominator), those that ended after ${QUALITY_RULES.earlyEndSessions} session whatever the reason, or dropped out before session ${QUALITY_RULES.earlyDropoutBeforeSession}. Placed on funnel plots by location and by modality, unadjusted.`,
      source: 'This project (issue 6)',
    },
    {
      id: 'item9',
      term: 'PHQ-9 item 9 above 0 (safety audit)',
      definition:
        'Of the episodes with an answer to PHQ-9 item 9 (thoughts of self-harm) at any session, those with an answer above 0 at any session. Sessions carry no dates, so these are counted by the month the episode started.',
      source: 'This project (issue 6); Kroenke, Spitzer & Williams 2001 (PHQ-9)',
    },
    {
      id: 'ongoing',
      term: 'Still in treatment (safety audit)',
      definition: `Episodes with no end month yet, which every outcome figure leaves out (their outcome needs an end). Reliably worse so far: of the ongoing episodes scored at two sessions or more on the instrument, those whose latest score is worse than their first by at least the reliable change (${caseness('reliableChange')}), the test of reliable deterioration applied to the scores so far; an episode that worsened and then came back within the reliable change is not counted. Item 9 above 0 so far: as above, over the ongoing episodes with an item 9 answer. Open ${QUALITY_RULES.longOpenMonths} months or more: of the ongoing episodes, those that started that many months or more before the latest start month in the warehouse (the data's date; an export carries none), far past a course of IPT or CBT: worth checking that they were not left unclosed. Shown per location of the reader's filters for both instruments, whatever the instrument chosen, and without the period (it is on the month an episode ended). A location with fewer than ${minCell} ongoing episodes is withheld whole, and a rate over 1 to ${minCell - 1} episodes is withheld. An episode the clinic never closed in its records counts as ongoing: the export has no date of last contact to tell it apart, hence the count of those open long.`,
      source: `This project (session 14); reliable change: ${NHS}; Jacobson & Truax 1991`,
    },
  ];

  return {
    definitions_version: DEFINITIONS_VERSION,
    sections: [
      { id: 'instruments', title: 'Instruments', entries: INSTRUMENTS.map(instrumentEntry) },
      { id: 'episode', title: 'Per episode', entries: episode },
      { id: 'aggregates', title: 'Figures over groups', entries: aggregates },
      { id: 'privacy', title: 'Privacy and grouping', entries: privacy },
      { id: 'quality', title: 'Quality audits', entries: quality },
      { id: 'staffing', title: 'Staffing', entries: staffing },
    ],
  };
}
