import { type Kysely, sql } from 'kysely';

/** The quasi-identifiers of METRICS.md (Privacy), in the order db/queries/quasi-identifiers.ts withholds them. */
const QUASI_IDENTIFIERS = ['age_band', 'condition', 'location', 'modality'];

/**
 * quasi_identifier_class: how many people (distinct pseudonymised clients) share each combination
 * of the quasi-identifiers, over every subset of them (docs/decisions/011-episode-list-k-anonymity.md).
 * The episode list's k-anonymity reads the combinations under k from here; counting them at the
 * first view after a load cost 6-15 s at a million episodes. One row per combination of one grain:
 * `grain` names the identifiers it keeps (comma-separated, 'everyone' for none), those columns hold
 * the values (NULL = not recorded), the others are NULL and never read. `clients` counts people, so
 * a load keeps it by a delta over the clients it touched (db/load/refresh-quasi-identifier-classes.ts).
 * `cell_key` is generated from the naming columns as intake_cell's is. Filled here from the
 * episodes already stored, so the list never finds it empty beside a warehouse that is not.
 * Frozen: change the schema in a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const key = ['grain', ...QUASI_IDENTIFIERS]
    .map((column) => `coalesce(length(${column})::text || ':' || ${column}, '-')`)
    .join(` || ';' || `);
  // grouping(x) is 0 for an identifier the row keeps; the grain's name lists those, in order.
  const grain = `coalesce(nullif(concat_ws(',', ${QUASI_IDENTIFIERS.map(
    (column) => `case when grouping(${column}) = 0 then '${column}' end`,
  ).join(', ')}), ''), 'everyone')`;
  const statements = [
    sql`
      create table quasi_identifier_class (
        grain text collate "C" not null,
        age_band text,
        condition text,
        location text,
        modality text,
        clients integer not null
      )
    `,
    sql.raw(
      `alter table quasi_identifier_class add column cell_key text collate "C" generated always as (${key}) stored`,
    ),
    sql.raw(`
      insert into quasi_identifier_class (grain, ${QUASI_IDENTIFIERS.join(', ')}, clients)
      select ${grain}, ${QUASI_IDENTIFIERS.join(', ')}, count(distinct client_key)::int
      from episode
      group by cube (${QUASI_IDENTIFIERS.join(', ')})
      having count(*) > 0`),
    sql`create unique index quasi_identifier_class_key_idx on quasi_identifier_class (cell_key)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quasi_identifier_class').execute();
}
