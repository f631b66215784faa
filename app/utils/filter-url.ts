import { OUTCOME_ONLY_FILTERS } from '../../db/definitions';
import { formatValueList, parseValueList } from '../../db/value-list';

/**
 * The dashboard's view lives in the URL (filters, the page's own choices, visible columns), so
 * every view can be bookmarked, shared and reloaded. These helpers keep one spelling of a view:
 * lists are comma-separated, a value with a comma in quotes (db/value-list.ts, the
 * outcome query contract's syntax), keys in a fixed order, no empty values. Pure, for the server and the browser alike; the parsing and
 * validation itself is parseOutcomeFilters on the server.
 */

/** URL keys of the filters, in the order a canonical URL lists them. */
export const FILTER_KEYS = [
  'condition',
  'instrument',
  'modality',
  'location',
  'length_band',
  'problem_area',
  'age_band',
  'delivery',
  'severity_band',
  'from',
  'to',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** Keys that hold one value rather than a list. */
// `missed`: the staffing plan's checkbox comes after a hidden "off", so the last value is the choice.
const SINGLE_VALUE_KEYS = new Set(['instrument', 'from', 'to', 'by', 'metric', 'unit', 'format', 'missed', 'a', 'b']);

/**
 * One spelling of the same view: repeated keys (a plain HTML form's checkboxes) merged into one
 * comma list, duplicates and empty values dropped, filters first in FILTER_KEYS order, then the
 * page's own keys in the order they came.
 */
export function canonicalParams(params: URLSearchParams): URLSearchParams {
  const values = new Map<string, string[]>();
  for (const [key, raw] of params) {
    const parts = SINGLE_VALUE_KEYS.has(key) ? [raw.trim()] : parseValueList(raw).values;
    const list = values.get(key) ?? [];
    for (const part of parts) if (part !== '' && !list.includes(part)) list.push(part);
    values.set(key, list);
  }
  const ordered = [
    ...FILTER_KEYS.filter((key) => values.has(key)),
    ...[...values.keys()].filter((key) => !(FILTER_KEYS as readonly string[]).includes(key)),
  ];
  const result = new URLSearchParams();
  for (const key of ordered) {
    const list = values.get(key)!;
    if (list.length === 0) continue;
    // A single-value key given twice keeps its last value, as a form's last field wins.
    result.set(key, SINGLE_VALUE_KEYS.has(key) ? list.at(-1)! : formatValueList(list));
  }
  return result;
}

/**
 * A copy of `params` without the filters only outcome questions apply (OUTCOME_ONLY_FILTERS: the
 * baseline severity band), for the links of the quality audits, which do not apply them: else the
 * list would count fewer episodes than the figure it opens.
 */
export function withoutOutcomeOnlyFilters(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of OUTCOME_ONLY_FILTERS) next.delete(key);
  return next;
}

/** The canonical search string ("" or "?a=b"), for links and redirects. */
export function searchString(params: URLSearchParams): string {
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The search string of this URL's canonical form, or null when it is already canonical. */
export function canonicalRedirect(url: URL): string | null {
  const canonical = searchString(canonicalParams(url.searchParams));
  return canonical === url.search || (canonical === '' && url.search === '?') ? null : `${url.pathname}${canonical}`;
}

/**
 * The URL key of a page of a list (the episode list's `page`). It belongs to the list its filters
 * chose: other filters make another list, which starts on its first page (page 5 of every episode
 * is past the end of one location's two pages).
 */
export const PAGE_KEY = 'page';

function isFilter(key: string): boolean {
  return (FILTER_KEYS as readonly string[]).includes(key);
}

/** A copy of `params` with `key` set to `values` (removed when empty); a changed filter starts again at page 1. */
export function withValues(params: URLSearchParams, key: string, values: readonly string[]): URLSearchParams {
  const next = new URLSearchParams(params);
  if (values.length === 0) next.delete(key);
  else next.set(key, formatValueList(values));
  if (isFilter(key)) next.delete(PAGE_KEY);
  return canonicalParams(next);
}

/** The values of a list key as the URL holds them. */
export function listValues(params: URLSearchParams, key: string): string[] {
  const raw = params.get(key);
  return raw ? parseValueList(raw).values : [];
}

/** The filters of `params` alone, for a link to another page: the filters travel, a page's own choices do not. */
export function onlyFilters(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams();
  for (const key of FILTER_KEYS) if (params.has(key)) next.set(key, params.get(key)!);
  return next;
}

/** A copy of `params` without any filter: the page's own choices (dimension, metric, columns) stay, the page number goes. */
export function withoutFilters(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of FILTER_KEYS) next.delete(key);
  next.delete(PAGE_KEY);
  return canonicalParams(next);
}

export type OutcomeInstrumentChoice = 'PHQ-9' | 'GAD-7' | 'combined';

/**
 * The condition switch picks the instrument that measures the condition: anxiety alone is
 * measured with GAD-7, depression and anxiety together with the NHS combined definition,
 * anything else with PHQ-9. An `instrument` in the URL overrides the choice.
 */
export function resolveInstrument(
  params: URLSearchParams,
  conditions: readonly string[],
): { instrument: OutcomeInstrumentChoice; automatic: boolean } {
  const explicit = params.get('instrument');
  if (explicit === 'PHQ-9' || explicit === 'GAD-7' || explicit === 'combined') {
    return { instrument: explicit, automatic: false };
  }
  return { instrument: instrumentForConditions(conditions), automatic: true };
}

export function instrumentForConditions(conditions: readonly string[]): OutcomeInstrumentChoice {
  const set = new Set(conditions);
  if (set.size === 1 && set.has('anxiety')) return 'GAD-7';
  if (set.size === 2 && set.has('anxiety') && set.has('depression')) return 'combined';
  return 'PHQ-9';
}
