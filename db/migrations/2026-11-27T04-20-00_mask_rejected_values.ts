import { type Kysely, sql } from 'kysely';

/**
 * Rejected values were stored as the file had them (up to 100 characters), and a rejected cell can
 * hold anything a clinic's export should never have carried: a date of birth where a month goes,
 * a name where a modality goes. Loads now keep only a value's masked shape (etl/files/value-shape.ts).
 * The values kept before are dropped rather than masked here: masking them in SQL would be a second
 * definition of the shape, and a run's file, line, column and reason still say where to look. The
 * rejections page shows "not kept" for them. Irreversible by design: down() leaves them dropped.
 * Frozen: change the schema in a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update etl_rejection set value = null where value is not null`.execute(db);
  await sql`
    comment on column etl_rejection.value is
      'masked shape of the rejected value (digits 9, letters A/a, the length), never its characters; null for identifiers'
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`comment on column etl_rejection.value is null`.execute(db);
}
