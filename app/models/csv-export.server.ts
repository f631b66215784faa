import type { AppLoadContext } from '@remix-run/node';
import { type CsvColumn, csvFileName, toCsv } from '~/utils/csv';
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
  return csvFile({
    context,
    view,
    page,
    title,
    notes,
    columns: columns.filter((column) => visible.includes(column.id)),
    rows,
  });
}

/**
 * A CSV file of a table's rows in the given columns, with the view's filters (and any more the
 * page has, such as a target or a plan's inputs) written at the top; audited as an export.
 */
export async function csvFile<Row>({
  context,
  view,
  page,
  title,
  filters = [],
  notes = [],
  columns,
  rows,
  instrument = true,
}: {
  context: AppLoadContext;
  view: DashboardView;
  page: string;
  title: string;
  /** The page's own inputs, after the filters ([label, value]). */
  filters?: ReadonlyArray<readonly [string, string]>;
  notes?: readonly string[];
  columns: ReadonlyArray<CsvColumn<Row>>;
  rows: readonly Row[];
  /** False for figures no score enters (staffing): the file names no instrument. */
  instrument?: boolean;
}): Promise<Response> {
  const now = new Date();
  const viewFilters = filtersForFile(view).slice(instrument ? 0 : 1);
  const text = toCsv({
    title,
    filters: [...viewFilters, ...filters],
    generatedAt: now,
    notes,
    columns,
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
