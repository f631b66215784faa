import { z } from 'zod';
import {
  AGE_BANDS,
  CONDITIONS,
  DELIVERY_MODES,
  INSTRUMENTS,
  LENGTH_BANDS,
  MODALITIES,
  OUTCOME_INSTRUMENTS,
  type OutcomeInstrument,
  PROBLEM_AREAS,
  OUTCOME_ONLY_FILTERS,
  SEVERITY_BANDS,
  severityBandsOf,
} from '../definitions';
import { parseValueList } from '../value-list';

/**
 * The one description of "which episodes, grouped how" that the analyst API, the dashboard's
 * URL filters and the SQL all share. Parsed once per request from URL search params; a bad
 * parameter becomes a 400 naming it (API) or a message beside the filter bar (pages).
 */

/** Dimensions an outcome query can filter on and group by. */
export const GROUP_DIMENSIONS = [
  'modality',
  'location',
  'condition',
  'length_band',
  'problem_area',
  'age_band',
  'delivery',
  'severity_band',
  'end_quarter',
] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

/** Filterable dimensions (end_quarter is filtered through `from`/`to` instead). */
export const FILTER_DIMENSIONS = [
  'modality',
  'location',
  'condition',
  'length_band',
  'problem_area',
  'age_band',
  'delivery',
  'severity_band',
] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

/**
 * The filters about the episode itself, not about one instrument's scores: every one but
 * OUTCOME_ONLY_FILTERS (the baseline severity band). Pages that count episodes over several
 * instruments' rows, or none (the quality audits, staffing), offer these.
 */
export const EPISODE_FILTER_DIMENSIONS = FILTER_DIMENSIONS.filter(
  (dimension): dimension is Exclude<FilterDimension, (typeof OUTCOME_ONLY_FILTERS)[number]> =>
    !(OUTCOME_ONLY_FILTERS as readonly string[]).includes(dimension),
);

/** Allowed values of each closed dimension; `location` is open (as loaded). `null` in the URL is spelled "none". */
export const DIMENSION_VALUES: Record<Exclude<FilterDimension, 'location'>, readonly string[]> = {
  modality: MODALITIES,
  condition: CONDITIONS,
  length_band: LENGTH_BANDS.map(([band]) => band),
  problem_area: PROBLEM_AREAS,
  age_band: AGE_BANDS.map(([band]) => band),
  delivery: DELIVERY_MODES,
  severity_band: SEVERITY_BANDS,
};

/** Proportion metrics, each a count over a denominator with a Wilson interval. */
export const PROPORTION_METRICS = [
  'recovery',
  'reliable_recovery',
  'reliable_improvement',
  'reliable_deterioration',
  'response',
  'remission',
  'dropout',
] as const;
export type ProportionMetric = (typeof PROPORTION_METRICS)[number];

/** The proportions NHS defines for `combined` (both instruments paired, METRICS.md); others are null there. */
export const COMBINED_PROPORTION_METRICS: readonly ProportionMetric[] = [
  'recovery',
  'reliable_recovery',
  'reliable_improvement',
  'reliable_deterioration',
];

/**
 * The figures an outcome row holds for an instrument. Under `combined` only the counts and the
 * NHS combined proportions: its other figures are null because the definition has none, not
 * because they are withheld, so a page leaves them out (or names them as undefined) rather than
 * print "withheld", and offers no chart of them.
 */
export interface DefinedFigures {
  proportions: readonly ProportionMetric[];
  /** Paired-score completeness, sessions, mean baseline, mean change and d. */
  scores: boolean;
}

export function definedFigures(instrument: OutcomeInstrument): DefinedFigures {
  return instrument === 'combined'
    ? { proportions: COMBINED_PROPORTION_METRICS, scores: false }
    : { proportions: PROPORTION_METRICS, scores: true };
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * A comma-separated list in the URL, a value with a comma in double quotes (db/value-list.ts);
 * empty means "no filter".
 */
const commaList = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined) return [];
    const { values, problem } = parseValueList(raw);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
    return values;
  });

export const outcomeFiltersSchema = z
  .object({
    instrument: z
      .enum(OUTCOME_INSTRUMENTS as [string, ...string[]], { error: `one of ${OUTCOME_INSTRUMENTS.join(', ')}` })
      .default('PHQ-9'),
    modality: commaList,
    location: commaList,
    condition: commaList,
    length_band: commaList,
    problem_area: commaList,
    age_band: commaList,
    delivery: commaList,
    severity_band: commaList,
    from: z.string().regex(MONTH, 'a month as YYYY-MM').optional(),
    to: z.string().regex(MONTH, 'a month as YYYY-MM').optional(),
    group_by: commaList,
  })
  .superRefine((value, ctx) => {
    // Anyone can write %00 into an address, and Postgres text cannot hold it: the query would fail
    // (500) rather than find no such site. No loaded location holds a control character.
    if (value.location.some((location) => location.includes('\u0000'))) {
      ctx.addIssue({
        code: 'custom',
        path: ['location'],
        message: 'locations as loaded, without a NUL character (%00)',
      });
    }
    for (const dimension of FILTER_DIMENSIONS) {
      if (dimension === 'location') continue;
      const allowed = [...DIMENSION_VALUES[dimension], ...(nullableDimension(dimension) ? ['none'] : [])];
      for (const item of value[dimension]) {
        if (!allowed.includes(item)) {
          // An address reads "+" as a space, so a hand-written `length_band=21+` arrives as "21 ":
          // say so, or the message lists the very value the reader thinks they sent.
          const plus = allowed.includes(`${item}+`)
            ? `; "+" in an address is a space: write ${item}+ as ${item}%2B`
            : '';
          ctx.addIssue({ code: 'custom', path: [dimension], message: `one or more of ${allowed.join(', ')}${plus}` });
        }
      }
    }
    if (value.group_by.length > 3) {
      ctx.addIssue({ code: 'custom', path: ['group_by'], message: 'at most three dimensions' });
    }
    for (const item of value.group_by) {
      if (!(GROUP_DIMENSIONS as readonly string[]).includes(item)) {
        ctx.addIssue({ code: 'custom', path: ['group_by'], message: `one or more of ${GROUP_DIMENSIONS.join(', ')}` });
      }
    }
    if (new Set(value.group_by).size !== value.group_by.length) {
      ctx.addIssue({ code: 'custom', path: ['group_by'], message: 'each dimension once' });
    }
    if (value.from && value.to && value.from > value.to) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'a month not after `to`' });
    }
    const severity = severityProblem(value as OutcomeFilters);
    if (severity) ctx.addIssue({ code: 'custom', path: [severity.parameter], message: severity.allowed });
  });

/**
 * A baseline severity band (filter or grouping) the instrument cannot have: none under the
 * combined definition (two baselines, no one band), and GAD-7 has no "moderately severe". Asked
 * again by the dashboard once the condition switch has picked the instrument.
 */
export function severityProblem(
  filters: Pick<OutcomeFilters, 'instrument' | 'severity_band' | 'group_by'>,
): { parameter: 'severity_band' | 'group_by'; allowed: string } | null {
  if (filters.instrument === 'combined') {
    const why = 'the combined definition has two baselines and no one severity band';
    if (filters.severity_band.length > 0)
      return { parameter: 'severity_band', allowed: `instrument PHQ-9 or GAD-7 with it: ${why}` };
    if (filters.group_by.includes('severity_band'))
      return {
        parameter: 'group_by',
        allowed: `dimensions other than severity_band under instrument=combined: ${why}`,
      };
    return null;
  }
  // An unknown instrument is reported as such, on its own parameter.
  if (!(INSTRUMENTS as readonly string[]).includes(filters.instrument)) return null;
  const bands = [...severityBandsOf(filters.instrument), 'none'];
  const unknown = filters.severity_band.find((band) => SEVERITY_BANDS.includes(band) && !bands.includes(band));
  return unknown === undefined
    ? null
    : { parameter: 'severity_band', allowed: `one or more of ${bands.join(', ')} (the ${filters.instrument}'s bands)` };
}

export type OutcomeFilters = {
  instrument: (typeof OUTCOME_INSTRUMENTS)[number];
  modality: string[];
  location: string[];
  condition: string[];
  length_band: string[];
  problem_area: string[];
  age_band: string[];
  delivery: string[];
  severity_band: string[];
  from?: string;
  to?: string;
  group_by: GroupDimension[];
};

/** Dimensions whose value may be missing (own group, spelled "none" in filters). */
export function nullableDimension(dimension: GroupDimension): boolean {
  return (
    dimension === 'problem_area' ||
    dimension === 'age_band' ||
    dimension === 'delivery' ||
    dimension === 'severity_band' ||
    dimension === 'end_quarter'
  );
}

export type ParsedOutcomeFilters =
  { ok: true; filters: OutcomeFilters } | { ok: false; parameter: string; allowed: string };

/** Parses URL search params; the first problem is named so a 400 can say what to send. */
export function parseOutcomeFilters(params: URLSearchParams): ParsedOutcomeFilters {
  const raw: Record<string, string> = {};
  for (const key of params.keys()) raw[key] = params.get(key) ?? '';
  const result = outcomeFiltersSchema.safeParse(raw);
  if (result.success) return { ok: true, filters: result.data as OutcomeFilters };
  const issue = result.error.issues[0]!;
  return { ok: false, parameter: String(issue.path[0] ?? ''), allowed: issue.message };
}

/** A proportion with its Wilson 95% interval; null when withheld (denominator under min cell). */
export interface ProportionFigure {
  count: number;
  denominator: number;
  rate: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

export interface MeanFigure {
  value: number;
  ci_low: number | null;
  ci_high: number | null;
}

/** One row of GET /api/v1/outcomes (see ../shared/vectors/clinic-400/expected.json). */
export interface OutcomeRow {
  group: Partial<Record<GroupDimension, string | null>>;
  suppressed: boolean;
  episodes: number | null;
  finished: number | null;
  outcome_cohort: number | null;
  paired_completeness: number | null;
  mean_sessions: number | null;
  median_sessions: number | null;
  mean_baseline: number | null;
  mean_change: MeanFigure | null;
  effect_size_d: number | null;
  recovery: ProportionFigure | null;
  reliable_recovery: ProportionFigure | null;
  reliable_improvement: ProportionFigure | null;
  reliable_deterioration: ProportionFigure | null;
  response: ProportionFigure | null;
  remission: ProportionFigure | null;
  dropout: ProportionFigure | null;
}

export interface OutcomesResult {
  instrument: OutcomeFilters['instrument'];
  definitions_version: string;
  min_cell: number;
  rows: OutcomeRow[];
}

/**
 * What the caller may see, decided by sign-in (app/utils/auth.server.ts) and applied by every
 * query in the WHERE clause, so a URL filter is never access control.
 */
export interface AccessScope {
  /** null: every location; otherwise only these. */
  locations: string[] | null;
  /** Whether clinician-level units (funnel by clinician) may be returned. */
  clinicianUnits: boolean;
}
