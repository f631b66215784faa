import type { AppLoadContext } from '@remix-run/node';
import type { DefinedFigures, ProportionMetric } from '../../db/queries/outcome-query';
import { compareDimensionsFor, type CompareDimension } from '~/utils/compare-dimensions';
import { outcomeColumns, outcomeCsvNotes } from '~/utils/figure-columns';
import { formatUtcMinute } from '~/utils/format';
import { DIMENSION_LABELS } from '~/utils/labels';
import { csvDownload } from './csv-export.server';
import type { DashboardView } from './dashboard-view.server';
import { metricChoice, modalityDifferenceBy, outcomesBy } from './figures.server';
import { differenceChoice, modalityDifferences } from './compare-difference.server';
import { DIFFERENCE_NOTE, differenceTable } from '~/utils/difference-table';
import { canonicalParams, onlyFilters, searchString } from '~/utils/filter-url';
import { FUNNEL_METRICS } from '../../db/queries/get-funnel';

/**
 * The page's choices from the URL; an unknown value falls back to the default, and so does a
 * metric the instrument does not define (response under the combined definition), and a dimension
 * it has no values of (the baseline band under the combined definition).
 */
export function compareChoices(view: Pick<DashboardView, 'url' | 'filters'>): {
  by: CompareDimension;
  metric: ProportionMetric;
  defined: DefinedFigures;
} {
  const by = view.url.searchParams.get('by');
  return {
    by: (compareDimensionsFor(view.filters.instrument) as string[]).includes(by ?? '')
      ? (by as CompareDimension)
      : 'location',
    ...metricChoice(view, 'recovery'),
  };
}

export async function compareFigures(context: AppLoadContext, view: DashboardView) {
  const choices = compareChoices(view);
  const pair = differenceChoice(view);
  // The same two modalities adjusted for case mix, only when they differ (the page asks for two).
  const adjusted = (groupBy: CompareDimension[]) =>
    pair.a === pair.b
      ? Promise.resolve(null)
      : modalityDifferenceBy(context, view, groupBy, { metric: choices.metric, ...pair });
  const [result, overall, adjustedByValue, adjustedOverall] = await Promise.all([
    outcomesBy(context, view, [choices.by, 'modality']),
    // The line over every value of the dimension: the same filters, by modality alone.
    outcomesBy(context, view, ['modality']),
    adjusted([choices.by]),
    adjusted([]),
  ]);
  const differences = modalityDifferences({
    rows: result.rows,
    overall: overall.rows,
    adjusted: adjustedByValue && adjustedOverall && { byValue: adjustedByValue.rows, overall: adjustedOverall.rows },
    by: choices.by,
    metric: choices.metric,
    choice: pair,
    minCell: result.min_cell,
  });
  return { ...choices, result, difference: { ...pair, rows: differences }, generatedAt: formatUtcMinute(new Date()) };
}

export async function compareCsv(context: AppLoadContext, view: DashboardView): Promise<Response> {
  const { by, defined, result, metric, difference } = await compareFigures(context, view);
  const table = view.url.searchParams.get('table');
  if (table === 'difference') {
    const { title, columns, rows } = differenceTable({ ...difference, by, metric });
    return csvDownload({
      context,
      view,
      page: 'compare-difference',
      title: `Therapy outcomes: ${title}`,
      columns,
      rows,
      notes: [...outcomeCsvNotes(result.min_cell, defined), DIFFERENCE_NOTE],
    });
  }
  if (table !== null) throw new Response('No such table: the comparison, or table=difference', { status: 404 });
  return csvDownload({
    context,
    view,
    page: 'compare',
    title: `Therapy outcomes: modality by ${DIMENSION_LABELS[by].toLowerCase()}`,
    columns: outcomeColumns([by, 'modality'], defined),
    rows: result.rows,
    notes: outcomeCsvNotes(result.min_cell, defined),
  });
}

/**
 * The Locations page's funnel by modality (ADR 017) for the filters of this view: the case-mix
 * adjusted answer to what Compare shows raw. Its metric is Compare's when the funnel offers it
 * (recovery, response, reliable improvement), else the funnel's default.
 */
export function modalityFunnelHref(params: URLSearchParams, metric: ProportionMetric): string {
  const next = onlyFilters(params);
  next.set('unit', 'modality');
  if ((FUNNEL_METRICS as readonly string[]).includes(metric)) next.set('metric', metric);
  return `/locations${searchString(canonicalParams(next))}`;
}
