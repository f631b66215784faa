import type { AppLoadContext } from '@remix-run/node';
import { formatUtcMinute } from '~/utils/format';
import { trendColumns, trendTableRows } from '~/utils/trend-columns';
import { csvDownload } from './csv-export.server';
import type { DashboardView } from './dashboard-view.server';
import { metricChoice, trendBy } from './figures.server';

export async function trendFigures(context: AppLoadContext, view: DashboardView) {
  // Under the combined definition, a metric it does not define (response) would find no quarter at all.
  const { metric, defined } = metricChoice(view, 'recovery');
  const trend = await trendBy(context, view, { metric, groupBy: ['modality'] });
  return { metric, metrics: defined.proportions, trend, generatedAt: formatUtcMinute(new Date()) };
}

export async function trendsCsv(context: AppLoadContext, view: DashboardView): Promise<Response> {
  const { trend, metric } = await trendFigures(context, view);
  return csvDownload({
    context,
    view,
    page: 'trends',
    title: `Therapy outcomes: ${metric.replace(/_/g, ' ')} by quarter of episode end and modality`,
    columns: trendColumns(),
    rows: trendTableRows(trend.rows),
    notes: [
      `p-chart 3-sigma limits around each modality's pooled rate; quarters under ${trend.min_cell} withheld (and the next smallest where the pooled rate would reveal them)`,
    ],
  });
}
