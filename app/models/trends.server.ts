import type { AppLoadContext } from '@remix-run/node';
import { PROPORTION_METRICS, type ProportionMetric } from '../../db/queries/outcome-query';
import { formatUtcMinute } from '~/utils/format';
import { trendColumns, trendTableRows } from '~/utils/trend-columns';
import { csvDownload } from './csv-export.server';
import type { DashboardView } from './dashboard-view.server';
import { trendBy } from './figures.server';

export function trendMetric(url: URL): ProportionMetric {
  const metric = url.searchParams.get('metric');
  return (PROPORTION_METRICS as readonly string[]).includes(metric ?? '') ? (metric as ProportionMetric) : 'recovery';
}

export async function trendFigures(context: AppLoadContext, view: DashboardView) {
  const metric = trendMetric(view.url);
  const trend = await trendBy(context, view, { metric, groupBy: ['modality'] });
  return { metric, trend, generatedAt: formatUtcMinute(new Date()) };
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
