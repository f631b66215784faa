import type { LoaderFunctionArgs } from '@remix-run/node';
import { EPISODE_COLUMNS } from '~/components/quality/episode-list-table';
import { EVERY_FILTER, openAuditPageView } from '~/models/audit-view.server';
import { appliedFilters, auditView } from '~/models/dashboard-view.server';
import { streamCsv } from '~/models/csv-stream.server';
import { drillDownOf, loadEpisodeList } from '~/models/quality.server';
import { DRILL_METRIC_LABELS, DRILL_SIDE_LABELS } from '~/utils/drill-down';
import { minCellSize } from '~/utils/min-cell.server';

/** At most this many episodes in one file (the query's own bound). */
const FILE_ROWS = 50_000;

/** The episode list as CSV: every matching episode up to FILE_ROWS, in the list's order; audited as an export. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openAuditPageView({
    request,
    context,
    capability: 'data_quality',
    dimensions: EVERY_FILTER,
  });
  const list = await loadEpisodeList(context, view, { limit: FILE_ROWS, offset: 0 });
  await auditView(context, view, { action: 'export', rows: list.rows.length });
  const drill = drillDownOf(view.url);
  return streamCsv({
    fileName: `therapy-outcomes-episodes-${new Date().toISOString().slice(0, 10)}.csv`,
    title: 'De-identified episode list',
    filters: [
      ['Instrument', view.filters.instrument],
      ...appliedFilters(view.filters),
      ...(drill
        ? [
            [
              'Behind the figure',
              [
                DRILL_METRIC_LABELS[drill.metric] ?? drill.metric,
                DRILL_SIDE_LABELS[drill.side ?? 'count'],
                ...(drill.clinician ? [`clinician ${drill.clinician}`] : []),
                ...(drill.month ? [`started ${drill.month}`] : []),
              ].join(', '),
            ] as const,
          ]
        : []),
      ...(list.unlisted > 0
        ? [
            [
              'Not listed',
              `${list.unlisted} of the ${list.total} episodes matching: with these filters they would be shared by fewer than ${minCellSize()} people on age band, condition, location and modality (k-anonymity)`,
            ] as const,
          ]
        : []),
      ...(list.total - list.unlisted > list.rows.length
        ? [['Rows', `the first ${list.rows.length} of ${list.total - list.unlisted} listed`] as const]
        : []),
    ],
    header: EPISODE_COLUMNS.map((column) => column.id),
    rows: (async function* () {
      for (const row of list.rows) yield EPISODE_COLUMNS.map((column) => column.text(row));
    })(),
  });
}
