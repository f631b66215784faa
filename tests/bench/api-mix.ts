import type { Kysely } from 'kysely';
import { DEFAULT_MIN_CELL, type Instrument } from '../../db/definitions';
import type { Database } from '../../db/schema';
import { type FunnelMetric, type FunnelUnit, getFunnel } from '../../db/queries/get-funnel';
import { getOutcomes } from '../../db/queries/get-outcomes';
import { getTimeToImprovement } from '../../db/queries/get-time-to-improvement';
import { getTrend } from '../../db/queries/get-trend';
import { getModalityDifference } from '../../db/queries/get-modality-difference';
import {
  type AccessScope,
  type OutcomeFilters,
  parseOutcomeFilters,
  type ProportionMetric,
} from '../../db/queries/outcome-query';

/**
 * The fixed mix of analyst API requests that the speed measurements replay (issue 4: p50/p95 per
 * endpoint over a mix of filters and groupings). Only values every generated warehouse has are
 * used (no location names), so the same mix runs at 10,000 and at 1,000,000 episodes.
 */
export interface ApiMixEntry {
  path: '/api/v1/outcomes' | '/api/v1/time-to-improvement' | '/api/v1/funnel' | '/api/v1/trend' | '/api/v1/difference';
  query: string;
}

export const API_MIX: readonly ApiMixEntry[] = [
  { path: '/api/v1/outcomes', query: 'instrument=PHQ-9' },
  { path: '/api/v1/outcomes', query: 'group_by=modality' },
  { path: '/api/v1/outcomes', query: 'group_by=modality,location' },
  { path: '/api/v1/outcomes', query: 'group_by=modality,location,condition' },
  { path: '/api/v1/outcomes', query: 'group_by=location&from=2025-01&to=2025-12' },
  { path: '/api/v1/outcomes', query: 'instrument=GAD-7&group_by=condition&modality=CBT' },
  { path: '/api/v1/outcomes', query: 'group_by=length_band&condition=depression' },
  { path: '/api/v1/outcomes', query: 'instrument=combined&group_by=modality' },
  { path: '/api/v1/outcomes', query: 'group_by=end_quarter&modality=IPT' },
  { path: '/api/v1/outcomes', query: 'group_by=problem_area,age_band&modality=IPT&delivery=telehealth,none' },
  { path: '/api/v1/outcomes', query: 'group_by=severity_band,modality' },
  { path: '/api/v1/outcomes', query: 'severity_band=moderately_severe,severe&group_by=location' },
  { path: '/api/v1/time-to-improvement', query: 'group_by=modality' },
  { path: '/api/v1/time-to-improvement', query: 'instrument=GAD-7&condition=anxiety' },
  { path: '/api/v1/funnel', query: 'metric=recovery&unit=location' },
  { path: '/api/v1/funnel', query: 'metric=response&unit=clinician&modality=IPT' },
  { path: '/api/v1/trend', query: 'metric=recovery&group_by=modality' },
  { path: '/api/v1/trend', query: 'metric=response&from=2024-01' },
  { path: '/api/v1/difference', query: 'metric=recovery&a=IPT&b=CBT&group_by=location' },
  { path: '/api/v1/difference', query: 'metric=response&a=IPSRT&b=CBT&group_by=age_band' },
];

/** The same question asked of db/queries directly (no HTTP, no sign-in): the SQL's share of the time. */
export async function askDirect(
  db: Kysely<Database>,
  { path, query }: ApiMixEntry,
  scope: AccessScope = { locations: null, clinicianUnits: true },
): Promise<number> {
  const params = new URLSearchParams(query);
  const metric = params.get('metric');
  const unit = params.get('unit');
  const [a, b] = [params.get('a') ?? '', params.get('b') ?? ''];
  for (const own of ['metric', 'unit', 'a', 'b']) params.delete(own);
  const parsed = parseOutcomeFilters(params);
  if (!parsed.ok) throw new Error(`api mix: ${parsed.parameter}: ${parsed.allowed}`);
  const filters: OutcomeFilters = parsed.filters;
  const minCell = DEFAULT_MIN_CELL;
  switch (path) {
    case '/api/v1/outcomes':
      return (await getOutcomes(db, { filters, scope, minCell })).rows.length;
    case '/api/v1/time-to-improvement':
      return (
        await getTimeToImprovement(db, {
          filters: filters as OutcomeFilters & { instrument: Instrument },
          scope,
          minCell,
        })
      ).rows.length;
    case '/api/v1/funnel':
      return (
        await getFunnel(db, {
          filters,
          scope,
          minCell,
          metric: metric as FunnelMetric,
          unit: (unit ?? 'location') as FunnelUnit,
        })
      ).rows.length;
    case '/api/v1/trend':
      return (await getTrend(db, { filters, scope, minCell, metric: metric as ProportionMetric })).rows.length;
    case '/api/v1/difference':
      return (await getModalityDifference(db, { filters, scope, minCell, metric: metric as ProportionMetric, a, b }))
        .rows.length;
  }
}
