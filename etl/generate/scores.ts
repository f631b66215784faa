import { type Instrument, INSTRUMENT_DEFINITIONS } from '../../db/definitions';
import { CONDITION_PROFILES, type Ending, LOCATIONS, MODALITY_PROFILES } from './clinic-profile';
import type { Episode } from './episode';
import { clamp, type Random } from './random';

/** Typical share of the baseline that treatment takes away, before site, therapy and clinician effects. */
const TYPICAL_IMPROVEMENT = 0.52;
const IMPROVEMENT_SD = 0.22;
/** A minority get worse over treatment (NHS Talking Therapies: reliable deterioration ~5-8%). */
const DETERIORATING_SHARE = 0.085;
/** Those who leave early, or are referred on to more intensive care, improve less. */
const IMPROVEMENT_BY_ENDING: Record<Ending, number> = { completed: 1, dropped_out: 0.75, referred_on: 0.5, other: 0.9 };
const PLATEAU_SHARE = 0.35;
/** Session-to-session noise of an observed score, in points. */
const NOISE_SD: Record<Instrument, number> = { 'PHQ-9': 2, 'GAD-7': 1.6 };
/** GAD-7 at assessment when anxiety is not the focus: as severe as PHQ-9 suggests, on its own scale. */
const GAD7_BASELINE = { perPhq9Point: 0.65, offset: 1, sd: 3 };
const ANXIETY_GAD7_BASELINE = { mean: 14, sd: 3.5 };
/** When anxiety is not the focus, GAD-7 is asked at assessment, every few sessions and at the end. */
const GAD7_EVERY = 4;
const ASSESSMENT_RECORDED = 0.93;
/** Episodes whose export holds a single score (the measure was dropped after assessment). */
const SINGLE_SCORE_SHARE = 0.04;
const FINAL_SESSION_RECORDED = 0.9;
/** PHQ-9 item 9 (thoughts of self-harm): left empty by some systems, mostly 0 otherwise. */
const ITEM9_MISSING = 0.06;
/** Rows whose score is outside the instrument's range (a typo, or 99 meaning "not asked"). */
const OUT_OF_RANGE_SHARE = 0.0012;
const OUT_OF_RANGE_VALUES: Record<Instrument, readonly number[]> = {
  'PHQ-9': [28, 30, 72, 99],
  'GAD-7': [22, 24, 27, 99],
};

export interface ScoreRows {
  /** measures.csv lines, each ending in \n. */
  text: string;
  rows: number;
  outOfRange: number;
}

/** One instrument's course over an episode: where it starts, where it heads, how fast. */
interface Trajectory {
  instrument: Instrument;
  baseline: number;
  target: number;
}

/**
 * The PHQ-9 (and, for some, GAD-7) scores of an episode: improvement that comes early and then
 * levels off, with noise, sometimes a plateau, and deterioration in a minority.
 */
export function scoreRows(episode: Episode, random: Random, withFaults: boolean): ScoreRows {
  const profile = CONDITION_PROFILES[episode.condition];
  const phq9Baseline = random.roundedNormal(profile.phq9Baseline.mean, profile.phq9Baseline.sd, 0, 27);
  const deteriorating = random.chance(DETERIORATING_SHARE);
  const improvement = deteriorating
    ? -random.uniform(0.25, 0.6)
    : clamp(expectedImprovement(episode) + IMPROVEMENT_SD * random.normal(), -0.3, 1);
  const phq9: Trajectory = {
    instrument: 'PHQ-9',
    baseline: phq9Baseline,
    target: towards(phq9Baseline, improvement, 'PHQ-9', deteriorating),
  };

  let gad7: Trajectory | null = null;
  const anxietyFocus = profile.gad7Share >= 1;
  if (random.chance(profile.gad7Share)) {
    const baseline = anxietyFocus
      ? random.roundedNormal(ANXIETY_GAD7_BASELINE.mean, ANXIETY_GAD7_BASELINE.sd, 0, 21)
      : random.roundedNormal(GAD7_BASELINE.offset + GAD7_BASELINE.perPhq9Point * phq9Baseline, GAD7_BASELINE.sd, 0, 21);
    const gadImprovement = deteriorating ? improvement : clamp(improvement + 0.1 * random.normal(), -0.3, 1);
    gad7 = { instrument: 'GAD-7', baseline, target: towards(baseline, gadImprovement, 'GAD-7', deteriorating) };
  }

  // Early change that levels off (1 - e^(-t/tau)), reaching the target by the planned last session.
  const planned = Math.max(1, episode.plannedSessions);
  let plateauStart = Infinity;
  let plateauLength = 0;
  if (random.chance(PLATEAU_SHARE)) {
    plateauStart = Math.round(planned * random.uniform(0.2, 0.5));
    plateauLength = Math.max(1, Math.round(planned * random.uniform(0.15, 0.35)));
  }
  const effectivePlanned = Math.max(1, planned - plateauLength);
  const tau = effectivePlanned * random.uniform(0.25, 0.7);
  const scale = 1 - Math.exp(-effectivePlanned / tau);
  const progressAt = (session: number): number => {
    const effective =
      session <= plateauStart
        ? session
        : session < plateauStart + plateauLength
          ? plateauStart
          : session - plateauLength;
    return Math.min(1, (1 - Math.exp(-effective / tau)) / scale);
  };

  const recordingRate = episode.clinician.recordingRate;
  const last = episode.sessionsAttended;
  const singleScore = random.chance(SINGLE_SCORE_SHARE);
  const result: ScoreRows = { text: '', rows: 0, outOfRange: 0 };
  const prefix = `${episode.episodeId},`;
  for (let session = 0; session <= last; session++) {
    const recorded =
      session === 0
        ? random.chance(ASSESSMENT_RECORDED)
        : random.chance(recordingRate) ||
          (session === last && episode.ending === 'completed' && random.chance(FINAL_SESSION_RECORDED));
    if (!recorded) continue;
    const progress = progressAt(session);
    appendRow(result, prefix, session, phq9, progress, random, withFaults);
    if (gad7 && (anxietyFocus || session === 0 || session === last || session % GAD7_EVERY === 0)) {
      appendRow(result, prefix, session, gad7, progress, random, withFaults);
    }
    if (singleScore) break;
  }
  return result;
}

function expectedImprovement(episode: Episode): number {
  return (
    TYPICAL_IMPROVEMENT *
    LOCATIONS[episode.locationIndex]!.improvement *
    MODALITY_PROFILES[episode.modality].improvement *
    CONDITION_PROFILES[episode.condition].improvement *
    episode.clinician.improvement *
    IMPROVEMENT_BY_ENDING[episode.ending]
  );
}

/** The score an episode heads for: a share of the baseline off, or a few points up for those getting worse. */
function towards(baseline: number, improvement: number, instrument: Instrument, deteriorating: boolean): number {
  const reliableChange = INSTRUMENT_DEFINITIONS[instrument].reliableChange;
  // Worsening by at least the reliable change, so the minority shows as reliable deterioration.
  const target = deteriorating
    ? baseline + Math.max(reliableChange + 1, baseline * -improvement)
    : baseline * (1 - improvement);
  return clamp(target, 0, INSTRUMENT_DEFINITIONS[instrument].maxScore);
}

function appendRow(
  result: ScoreRows,
  prefix: string,
  session: number,
  trajectory: Trajectory,
  progress: number,
  random: Random,
  withFaults: boolean,
) {
  const { instrument, baseline, target } = trajectory;
  const maxScore = INSTRUMENT_DEFINITIONS[instrument].maxScore;
  let score =
    session === 0
      ? baseline
      : clamp(
          Math.round(baseline + (target - baseline) * progress + NOISE_SD[instrument] * random.normal()),
          0,
          maxScore,
        );
  let item9 = '';
  if (instrument === 'PHQ-9' && !random.chance(ITEM9_MISSING))
    item9 = String(Math.min(score, selfHarmItem(score, random)));
  if (withFaults && random.chance(OUT_OF_RANGE_SHARE)) {
    score = random.element(OUT_OF_RANGE_VALUES[instrument]);
    result.outOfRange += 1;
  }
  result.text += `${prefix}${session},${instrument},${score},${item9}\n`;
  result.rows += 1;
}

/** Item 9 from 0 to 3: mostly 0, more often positive the more severe the total. */
function selfHarmItem(score: number, random: Random): number {
  if (!random.chance(clamp((score - 6) / 45, 0.01, 0.35))) return 0;
  const level = random.float();
  return level < 0.65 ? 1 : level < 0.9 ? 2 : 3;
}
