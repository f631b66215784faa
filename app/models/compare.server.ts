import type { AppLoadContext } from '@remix-run/node';
import { PROPORTION_METRICS, type ProportionMetric } from '../../db/queries/outcome-query';
import { COMPARE_DIMENSIONS, type CompareDimension } from '~/utils/compare-dimensions';
import { outcomeColumns } from '~/utils/figure-columns';
import { formatUtcMinute } from '~/utils/format';
import { DIMENSION_LABELS } from '~/utils/labels';
import { csvDownload } from './csv-export.server';
import type { DashboardView } from './dashboard-view.server';
import { outcomesBy } from './figures.server';

/** The page's choices from the URL; an unknown value falls back to the default. */
export function compareChoices(url: URL): { by: CompareDimension; metric: ProportionMetric } {
  const by = url.searchParams.get('by');
  const metric = url.searchParams.get('metric');
  return {
    by: (COMPARE_DIMENSIONS as readonly string[]).includes(by ?? '') ? (by as CompareDimension) : 'location',
    metric: (PROPORTION_METRICS as readonly string[]).includes(metric ?? '')
      ? (metric as ProportionMetric)
      : 'recovery',
  };
}

export async function compareFigures(context: AppLoadContext, view: DashboardView) {
  const choices = compareChoices(view.url);
  const result = await outcomesBy(context, view, [choices.by, 'modality']);
  return { ...choices, result, generatedAt: formatUtcMinute(new Date()) };
}

export async function compareCsv(context: AppLoadContext, view: DashboardView): Promise<Response> {
  const { by, result } = await compareFigures(context, view);
  return csvDownload({
    context,
    view,
    page: 'compare',
    title: `Therapy outcomes: modality by ${DIMENSION_LABELS[by].toLowerCase()}`,
    columns: outcomeColumns([by, 'modality']),
    rows: result.rows,
    notes: [`Withheld: groups with fewer than ${result.min_cell} patients in the outcome cohort`],
  });
}
