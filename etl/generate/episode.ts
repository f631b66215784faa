import {
  conditionOf,
  type Condition,
  type Delivery,
  type EndReason,
  type Modality,
  type ProblemArea,
} from '../../db/definitions';
import {
  AGE_AT_START,
  CONDITION_MIX,
  DIAGNOSIS_CODE_TABLES,
  ENDINGS,
  type Ending,
  LOCATIONS,
  MODALITY_PROFILES,
  MODALITY_TABLES,
  ONLINE_LOCATION,
  PROBLEM_AREA_TABLES,
  SITE_DELIVERY,
  UNCLOSED_DROPOUT_EVERY,
} from './clinic-profile';
import type { Clinician, Staff } from './clinicians';
import { clamp, type Random, weightedTable, type WeightedTable } from './random';

/** The months episodes start in: the 36 up to and including the last month. */
export const START_MONTHS = 36;
/** Clients who come back for another episode of care. */
const RETURNING_CLIENT_SHARE = 0.12;
/** How many recent clients a returning client is drawn from. */
const RECENT_CLIENTS = 4096;
/** Sessions (attended or missed) per month: weekly, with holidays and the odd fortnight. */
const SESSIONS_PER_MONTH = { min: 2.8, max: 4.2 };
/** Optional columns left empty, as in a real export. */
const MISSING = { clinician: 0.005, age: 0.01, sessionsMissed: 0.02, waitDays: 0.02, delivery: 0.01 };

export interface Episode {
  episodeId: string;
  clientId: string;
  locationIndex: number;
  clinician: Clinician;
  /** Written only when the export has it (a few rows leave clinician_id empty). */
  clinicianRecorded: boolean;
  modality: Modality;
  condition: Condition;
  diagnosisCode: string;
  problemArea: ProblemArea | null;
  age: number | null;
  /** Months counted from year 0 (year * 12 + month - 1). */
  startMonth: number;
  endMonth: number | null;
  endReason: EndReason | null;
  /** How the course ends or would have ended; ongoing episodes are cut short at the last month. */
  ending: Ending;
  plannedSessions: number;
  sessionsAttended: number;
  sessionsMissed: number | null;
  waitDays: number | null;
  delivery: Delivery | null;
}

/** Draws episodes one after another; holds the little state that spans episodes (clients). */
export class EpisodeFactory {
  private readonly locationTable: WeightedTable<number>;
  private readonly ageTable: WeightedTable<readonly [number, number]>;
  private readonly startOffsetTable: WeightedTable<number>;
  private readonly firstStartMonth: number;
  private readonly lastMonth: number;
  private readonly clientIdWidth: number;
  private readonly recentClients: Array<{ number: number; age: number; locationIndex: number }> = [];
  private clientCount = 0;

  constructor(
    private readonly random: Random,
    private readonly staff: Staff,
    options: { lastMonth: number; episodes: number },
  ) {
    this.locationTable = weightedTable(LOCATIONS.map((location, index) => [index, location.share] as const));
    this.ageTable = weightedTable(
      AGE_AT_START.map(([youngest, oldest, weight]) => [[youngest, oldest] as const, weight] as const),
    );
    // The group grows: the latest month has 60% more new episodes than the first.
    this.startOffsetTable = weightedTable(
      Array.from({ length: START_MONTHS }, (_, offset) => [offset, 1 + (0.6 * offset) / (START_MONTHS - 1)] as const),
    );
    this.firstStartMonth = options.lastMonth - (START_MONTHS - 1);
    this.lastMonth = options.lastMonth;
    this.clientIdWidth = Math.max(6, String(options.episodes).length);
  }

  next(episodeId: string): Episode {
    const random = this.random;
    const client = this.nextClient();
    const condition = random.pick(CONDITION_MIX);
    const diagnosisCode = random.pick(DIAGNOSIS_CODE_TABLES[condition]);
    const modality = random.pick(MODALITY_TABLES[condition]);
    const clinician = this.staff.assign(client.locationIndex, modality, random);
    const online = LOCATIONS[client.locationIndex]!.name === ONLINE_LOCATION;

    const planned = MODALITY_PROFILES[modality].plannedSessions;
    const plannedSessions = random.roundedNormal(planned.mean, planned.sd, planned.min, planned.max);
    const ending = random.pick(ENDINGS);
    let attended = attendedSessions(ending, plannedSessions, random);
    // Most clients miss a few sessions; those who drop out miss more.
    const missRate = random.uniform(0, ending === 'dropped_out' ? 0.4 : 0.2);
    let missed = Math.floor(attended * missRate + random.float()) + (ending === 'dropped_out' ? random.int(0, 2) : 0);

    const startMonth = this.firstStartMonth + random.pick(this.startOffsetTable);
    const sessionsPerMonth = random.uniform(SESSIONS_PER_MONTH.min, SESSIONS_PER_MONTH.max);
    const monthsNeeded = Math.max(1, Math.ceil((attended + missed) / sessionsPerMonth));
    let endMonth: number | null = startMonth + monthsNeeded - 1;
    let endReason: EndReason | null = ending;
    if (endMonth > this.lastMonth) {
      // Still running at the last month: only the sessions held so far are in the export.
      const shareHeld = (this.lastMonth - startMonth + 1) / monthsNeeded;
      attended = Math.floor(attended * shareHeld);
      missed = Math.floor(missed * shareHeld);
      endMonth = null;
      endReason = null;
    } else if (ending === 'dropped_out' && client.number % UNCLOSED_DROPOUT_EVERY === 0) {
      // Stopped coming, never closed in the records.
      endMonth = null;
      endReason = null;
    }

    const medianWait = LOCATIONS[client.locationIndex]!.medianWaitDays;
    return {
      episodeId,
      clientId: `CL${String(client.number).padStart(this.clientIdWidth, '0')}`,
      locationIndex: client.locationIndex,
      clinician,
      clinicianRecorded: !random.chance(MISSING.clinician),
      modality,
      condition,
      diagnosisCode,
      problemArea: problemAreaFor(modality, diagnosisCode, random),
      age: random.chance(MISSING.age) ? null : client.age,
      startMonth,
      endMonth,
      endReason,
      ending,
      plannedSessions,
      sessionsAttended: attended,
      sessionsMissed: random.chance(MISSING.sessionsMissed) ? null : missed,
      // Log-normal: a median of a month or two and a long tail of people who waited many months.
      waitDays: random.chance(MISSING.waitDays)
        ? null
        : clamp(Math.round(medianWait * Math.exp(0.75 * random.normal())), 0, 3650),
      delivery: online ? 'telehealth' : random.chance(MISSING.delivery) ? null : random.pick(SITE_DELIVERY),
    };
  }

  private nextClient(): { number: number; age: number; locationIndex: number } {
    const random = this.random;
    if (this.recentClients.length > 0 && random.chance(RETURNING_CLIENT_SHARE)) {
      const earlier = random.element(this.recentClients);
      return {
        number: earlier.number,
        age: Math.min(95, earlier.age + random.int(0, 2)),
        locationIndex: random.chance(0.85) ? earlier.locationIndex : random.pick(this.locationTable),
      };
    }
    const [youngest, oldest] = random.pick(this.ageTable);
    const client = {
      number: ++this.clientCount,
      age: random.int(youngest, oldest),
      locationIndex: random.pick(this.locationTable),
    };
    if (this.recentClients.length < RECENT_CLIENTS) this.recentClients.push(client);
    else this.recentClients[this.clientCount % RECENT_CLIENTS] = client;
    return client;
  }
}

/** Attended sessions by how the course ends: dropouts leave early, some before the first session. */
function attendedSessions(ending: Ending, planned: number, random: Random): number {
  switch (ending) {
    case 'completed':
      return Math.max(2, planned + Math.round(1.2 * random.normal()));
    case 'dropped_out':
      return Math.floor(planned * 0.7 * random.float());
    case 'referred_on':
      return Math.floor(planned * 0.9 * random.float());
    case 'other':
      return Math.floor(planned * random.uniform(0.2, 1));
  }
}

function problemAreaFor(modality: Modality, diagnosisCode: string, random: Random): ProblemArea | null {
  // IPT always works on a focus (a few records leave it blank); IPSRT often names one too.
  const recorded = modality === 'IPT' ? 0.96 : modality === 'IPSRT' ? 0.4 : 0.02;
  if (!random.chance(recorded)) return null;
  if (diagnosisCode === 'Z63.4') return random.pick(PROBLEM_AREA_TABLES.bereavement);
  const condition = conditionOf(diagnosisCode);
  if (condition === 'grief_adjustment') return random.pick(PROBLEM_AREA_TABLES.adjustment);
  if (condition === 'relationship') return random.pick(PROBLEM_AREA_TABLES.relationship);
  return random.pick(PROBLEM_AREA_TABLES.general);
}

export function monthIndex(month: string): number {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new RangeError(`lastMonth must be a month YYYY-MM, not ${JSON.stringify(month)}`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

export function formatMonth(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
