import { type Kysely, sql } from 'kysely';
import { DEFAULT_MIN_CELL, INSTRUMENTS } from '../definitions';
import { secondarySuppression } from '../engine/secondary-suppression';
import type { Database } from '../schema';
import { assertMinCell } from './get-outcomes';
import { filledIntakeGrain } from './intake-cells';
import { cellWhere } from './outcome-cells';
import type { AccessScope, OutcomeFilters } from './outcome-query';
import { compareGroups, outcomeWhere } from './outcome-where';
import { getRosterByLocationAndModality } from './staffing-capacity';

/**
 * Caseload now, for staffing (beside capacity): the episodes still in treatment (no end month yet)
 * per location and modality, the FTE the roster has there (as the capacity page counts it, a
 * clinician's FTE split evenly over the modalities they practise), and ongoing episodes per FTE.
 * The plan sizes the flow of new episodes; this is where the clinicians are loaded today.
 *
 * A location and modality with ongoing episodes and no one on the roster is a row (FTE 0, no
 * ratio): that is a finding, not a gap in the table. One with roster FTE and no ongoing episode is
 * a row of 0.
 *
 * Ongoing episodes are counts of patients: a count of 1 to minCell - 1 is withheld, and the
 * total shown beside the rows is one line of secondary suppression (ADR 010), so no withheld cell
 * is the total less the others. The roster's FTE is about staff and is not withheld (as on the
 * capacity page).
 */

export interface CaseloadRow {
  location: string;
  modality: string;
  /** Null when withheld. */
  ongoing: number | null;
  fte: number;
  /** Ongoing episodes per FTE; null when withheld or when the roster has no FTE here. */
  per_fte: number | null;
}

export interface CaseloadResult {
  min_cell: number;
  rows: CaseloadRow[];
  /** Every row together; its ongoing episodes null when withheld. */
  total: Omit<CaseloadRow, 'location' | 'modality'>;
}

export async function getStaffingCaseload(
  db: Kysely<Database>,
  { filters, scope, minCell = DEFAULT_MIN_CELL }: { filters: OutcomeFilters; scope: AccessScope; minCell?: number },
): Promise<CaseloadResult> {
  assertMinCell(minCell);
  const grain = await filledIntakeGrain(db, { filters, scope }, ['end_month']);
  // Any one instrument's rows of episode_outcome hold one per episode.
  const { rows: ongoing } = await (
    grain
      ? sql<{ location: string; modality: string; ongoing: number }>`
      select o.location, o.modality, sum(o.episodes)::int as ongoing
      from intake_cell o
      where ${cellWhere(grain, { filters, scope }, null)} and o.end_month is null
      group by o.location, o.modality`
      : sql<{ location: string; modality: string; ongoing: number }>`
      select o.location, o.modality, count(*)::int as ongoing
      from episode_outcome o
      where ${outcomeWhere({ filters, scope }, INSTRUMENTS[0])} and o.end_month is null
      group by o.location, o.modality`
  ).execute(db);
  const roster = await getRosterByLocationAndModality(db, { filters, scope });

  const cells = new Map<string, { location: string; modality: string; ongoing: number; fte: number }>();
  const cellOf = (location: string, modality: string) => {
    const key = JSON.stringify([location, modality]);
    const cell = cells.get(key) ?? { location, modality, ongoing: 0, fte: 0 };
    cells.set(key, cell);
    return cell;
  };
  for (const row of ongoing) cellOf(row.location, row.modality).ongoing += row.ongoing;
  for (const row of roster) cellOf(row.location, row.modality).fte += row.fte;
  const ordered = [...cells.values()].sort((a, b) => compareGroups(a, b, ['location', 'modality']));

  // The cells, then their total: one line.
  const values = [...ordered.map((cell) => cell.ongoing), ordered.reduce((sum, cell) => sum + cell.ongoing, 0)];
  const withheld = secondarySuppression(
    values,
    values.map((value) => value > 0 && value < minCell),
    [{ total: ordered.length, parts: ordered.map((_, index) => index) }],
    minCell,
  );
  const figures = (ongoingEpisodes: number, fte: number, hidden: boolean) => ({
    ongoing: hidden ? null : ongoingEpisodes,
    fte,
    per_fte: hidden || fte === 0 ? null : ongoingEpisodes / fte,
  });
  const totalFte = ordered.reduce((sum, cell) => sum + cell.fte, 0);
  return {
    min_cell: minCell,
    rows: ordered.map((cell, index) => ({
      location: cell.location,
      modality: cell.modality,
      ...figures(cell.ongoing, cell.fte, withheld[index]!),
    })),
    total: figures(values.at(-1)!, totalFte, withheld.at(-1)!),
  };
}
