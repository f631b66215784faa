import { STAFFING_RULES } from './definitions';
import type { PlanResult } from './queries/staffing-plan';

/** The planner's inputs to the staffing plan (db/queries/staffing-plan.ts does the sums). */
export interface PlanInputs {
  sessionsPerFteWeek: number;
  weeksWorked: number;
  missedTakeSlot: boolean;
}

/**
 * What the staffing plan assumes, in words, for the inputs it was worked with: the plan page and its
 * CSV file say it from here (the methods page's Staffing section states the model in full).
 */
export function planAssumptions({
  sessions_per_fte_week: sessionsPerFteWeek,
  weeks_worked: weeksWorked,
  missed_take_slot: missedTakeSlot,
}: Pick<PlanResult, 'sessions_per_fte_week' | 'weeks_worked' | 'missed_take_slot'>): string[] {
  return [
    `a full-time clinician works ${weeksWorked} weeks a year (the rest is leave, public holidays, training and sickness) and delivers ${sessionsPerFteWeek} sessions in each of those weeks`,
    missedTakeSlot
      ? "a missed appointment (did not attend, late cancellation) still takes its booked slot, so an episode books its modality's mean attended and mean missed sessions (attended only where no episode of the modality records missed sessions)"
      : "missed appointments are counted as taking no slot: an episode books only its modality's mean attended sessions",
    "every location is planned at its modality's sessions per episode over all locations",
    'demand is the flow of new episodes, not a waiting list',
    `the waits are over every episode with a wait recorded, of every period, not only the last ${STAFFING_RULES.demandWindowMonths} months`,
  ];
}
