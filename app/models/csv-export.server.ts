import type { AppLoadContext } from '@remix-run/node';
import { csvFileName, toCsv } from '~/utils/csv';
import { type FigureColumn, visibleColumnIds } from '~/utils/figure-columns';
import { listValues } from '~/utils/filter-url';
import { auditView, type DashboardView, filtersForFile } from './dashboard-view.server';

/**
 * A page's "Download CSV": the figures of its table, in the columns the reader has showing
 * (the URL's `columns`), with the filters written into the file. Recorded in the audit trail
 * as an export with its row count.
 */
export async function csvDownload<Row>({
  context,
  view,
  page,
  title,
  columns,
  rows,
  notes = [],
}: {
  context: AppLoadContext;
  view: DashboardView;
  /** Short name for the file ("compare"). */
  page: string;
  title: string;
  columns: ReadonlyArray<FigureColumn<Row>>;
  rows: readonly Row[];
  notes?: readonly string[];
}): Promise<Response> {
  const visible = visibleColumnIds(columns, listValues(view.url.searchParams, 'columns'));
  const now = new Date();
  const text = toCsv({
    title,
    filters: filtersForFile(view),
    generatedAt: now,
    notes,
    columns: columns.filter((column) => visible.includes(column.id)),
    rows,
  });
  await auditView(context, view, { action: 'export', rows: rows.length });
  return new Response(text, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${csvFileName(page, now)}"`,
      'Cache-Control': 'no-store',
    },
  });
}
