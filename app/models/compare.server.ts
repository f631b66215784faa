import type { AppLoadContext } from '@remix-run/node';
import type { DefinedFigures, ProportionMetric } from '../../db/queries/outcome-query';
import { compareDimensionsFor, type CompareDimension } from '~/utils/compare-dimensions';
import { outcomeColumns, outcomeCsvNotes } from '~/utils/figure-columns';
import { formatUtcMinute } from '~/utils/format';
import { DIMENSION_LABELS } from '~/utils/labels';
import { csvDownload } from './csv-export.server';
import type { DashboardView } from './dashboard-view.server';
import { metricChoice, outcomesBy } from './figures.server';

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
  const result = await outcomesBy(context, view, [choices.by, 'modality']);
  return { ...choices, result, generatedAt: formatUtcMinute(new Date()) };
}

export async function compareCsv(context: AppLoadContext, view: DashboardView): Promise<Response> {
  const { by, defined, result } = await compareFigures(context, view);
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
