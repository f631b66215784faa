import type { BulkSession } from '../connection';
import { FUNNEL_METRICS } from '../queries/get-funnel';
import { grainFor } from '../queries/outcome-cells';
import { withLocalSettings } from './refresh-episode-outcomes';

/**
 * Keeps clinician_funnel (db/migrations/2026-11-28T15-00-00_clinician_funnel.ts, ADR 020) equal to
 * the sums the funnel by clinician would compute from outcome_cell for the whole clinic group: per
 * instrument, funnel metric and modality scope (every modality, or each one), each clinician's
 * denominator, observed count and expected count, the sum over their cells of the cell's
 * denominator x its stratum's rate (condition x baseline severity band) in that scope. The same
 * indirect standardisation as db/queries/get-funnel.ts, which the tests hold this to.
 *
 * Rewritten whole from the cells whenever a load writes them (delta or rewrite), in the load's
 * transaction: a change to any episode moves a stratum's rate, and with it every clinician's
 * expected count in that scope, so there is no delta to keep. From the cells, not the facts: half
 * a million cells at a million episodes (1.5-1.7 s), not three million facts.
 */
export async function refreshClinicianFunnels(session: BulkSession): Promise<void> {
  const strataGrain = grainFor(['modality', 'condition', 'severity_band']);
  const clinicianGrain = grainFor(['modality', 'condition', 'severity_band', 'clinician_key']);
  if (!strataGrain || !clinicianGrain) throw new Error('clinician_funnel: the lattice lost the funnel grains');
  const each = (template: (metric: string) => string) => FUNNEL_METRICS.map(template).join(',\n');
  // NULL is a stratum of its own, as in the funnel (is not distinct from); '' is no condition's or
  // band's code, so it stands in for NULL and the join can hash.
  const sameStratum = `r.instrument = o.instrument
    and r.condition = coalesce(o.condition, '') and r.severity_band = coalesce(o.severity_band, '')`;
  // A unit's sums: denominator, observed and expected count of each metric.
  const unitSums = each(
    (metric) => `sum(o.${metric}_denominator) as ${metric}_denominator, sum(o.${metric}_count) as ${metric}_count,
      sum(o.${metric}_denominator * r.${metric}) as ${metric}_expected`,
  );
  const statement = `
    with strata as (
      select o.instrument, o.modality, coalesce(o.condition, '') as condition,
        coalesce(o.severity_band, '') as severity_band,
        ${each((metric) => `sum(o.${metric}_count) as ${metric}_count, sum(o.${metric}_denominator) as ${metric}_denominator`)}
      from outcome_cell o where o.grain = $1
      group by 1, 2, 3, 4
    ), modality_rates as (
      select instrument, modality, condition, severity_band,
        ${each((metric) => `${metric}_count::float8 / nullif(${metric}_denominator, 0) as ${metric}`)}
      from strata
    ), group_rates as (
      select instrument, condition, severity_band,
        ${each((metric) => `sum(${metric}_count)::float8 / nullif(sum(${metric}_denominator), 0) as ${metric}`)}
      from strata
      group by 1, 2, 3
    ), units as (
      select o.instrument, o.modality, o.clinician_key, ${unitSums}
      from outcome_cell o join modality_rates r on ${sameStratum} and r.modality = o.modality
      where o.grain = $2
      group by 1, 2, 3
      union all
      select o.instrument, null, o.clinician_key, ${unitSums}
      from outcome_cell o join group_rates r on ${sameStratum}
      where o.grain = $2
      group by 1, 3
    )
    insert into clinician_funnel (instrument, metric, modality, units)
    select u.instrument, m.metric, u.modality,
      json_agg(json_build_array(u.clinician_key, m.denominator, m.observed, m.expected) order by u.clinician_key)
    from units u cross join lateral (values
      ${each((metric) => `('${metric}', u.${metric}_denominator, u.${metric}_count, u.${metric}_expected)`)}
    ) m (metric, denominator, observed, expected)
    where m.denominator > 0
    group by 1, 2, 3`;
  await session.query('delete from clinician_funnel');
  // The planner guesses one row from the four-column join and picks merge joins and sorts: 26 s at
  // a million episodes, against 1.5-1.7 s hashed. Only for this statement.
  await withLocalSettings(
    session,
    { jit: 'off', enable_mergejoin: 'off', enable_nestloop: 'off', enable_sort: 'off' },
    () => session.query(statement, [strataGrain.name, clinicianGrain.name]),
  );
}
