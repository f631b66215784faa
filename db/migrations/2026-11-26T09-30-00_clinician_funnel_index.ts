import { type Kysely, sql } from 'kysely';

/**
 * The funnel by clinician reads the clinician grain of outcome_cell: at a million episodes about
 * 170,000 cells per instrument, each a wide row (every measure of every page), so reading them
 * from the heap was most of the answer's time (250 ms; docs/decisions/008-outcome-cells.md). This
 * partial index holds just what the funnel reads, so the answer comes from an index-only scan (the
 * load vacuums the cells, which keeps the pages all-visible), in the order of the case-mix strata
 * (condition, severity band), so the SQL that standardises needs no sort
 * (db/queries/get-funnel.ts). Modality and location follow, so their filters are index conditions.
 * The grain's name is the lattice's (db/queries/outcome-cells.ts); a new lattice means a new
 * migration. Frozen: change the schema in a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create index outcome_cell_clinician_funnel_idx
      on outcome_cell (instrument, condition, severity_band, modality, location)
      include (
        clinician_key,
        recovery_count, recovery_denominator,
        response_count, response_denominator,
        reliable_improvement_count, reliable_improvement_denominator
      )
      where grain = 'modality,location,condition,severity_band,clinician_key'
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index outcome_cell_clinician_funnel_idx`.execute(db);
}
