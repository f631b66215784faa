import { Link, useLocation, useNavigate } from '@remix-run/react';
import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  type SortingState,
  useReactTable,
} from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { FigureCell, FigureColumn } from '~/utils/figure-columns';
import { searchString, withValues } from '~/utils/filter-url';

/**
 * The numbers beside every chart: a table whose columns sort (aria-sort on the header, a button
 * to press) and can be shown or hidden. Which columns show is part of the URL (`columns`), so
 * the CSV download and a shared link hold the same columns.
 */
export function FigureTable<Row>({
  caption,
  columns,
  rows,
  visible,
  rowKey,
  sortableColumns,
  id,
  cellLink,
}: {
  caption: string;
  columns: ReadonlyArray<FigureColumn<Row>>;
  rows: readonly Row[];
  /** Ids of the columns shown (visibleColumnIds). */
  visible: readonly string[];
  rowKey: (row: Row) => string;
  /** Only these columns sort (all when absent): where ranking by a rate would mislead, none of the rates do. */
  sortableColumns?: readonly string[];
  id?: string;
  /** The list behind a figure (/quality/episodes, for roles that may open it), or null for none. */
  cellLink?: (row: Row, columnId: string) => string | null;
}) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const definitions = useMemo<Array<ColumnDef<Row, FigureCell>>>(
    () =>
      columns.map((column) => ({
        id: column.id,
        header: column.header,
        accessorFn: (row) => column.cell(row),
        cell: (context) => (
          <CellText cell={context.getValue()} href={cellLink?.(context.row.original, column.id) ?? null} />
        ),
        // Withheld and missing figures sort last in either direction.
        sortingFn: (a, b) => compare(column.sortValue(a.original), column.sortValue(b.original)),
        sortUndefined: 'last',
        enableSorting: !sortableColumns || sortableColumns.includes(column.id),
        meta: column,
      })),
    [columns, sortableColumns, cellLink],
  );
  const columnVisibility = Object.fromEntries(columns.map((column) => [column.id, visible.includes(column.id)]));
  const table = useReactTable({
    data: rows as Row[],
    columns: definitions,
    state: { sorting, columnVisibility },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: rowKey,
  });

  return (
    <div className="figure-table" id={id}>
      <ColumnPicker columns={columns} visible={visible} />
      <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
        {/* Each header and cell aligns by its column: figures right, words (a group, a position) left. */}
        <table>
          <caption>{caption}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const column = header.column.columnDef.meta as FigureColumn<Row>;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className={column.numeric ? 'numeric-cell' : undefined}
                      aria-sort={
                        !header.column.getCanSort()
                          ? undefined
                          : sorted === 'asc'
                            ? 'ascending'
                            : sorted === 'desc'
                              ? 'descending'
                              : 'none'
                      }
                    >
                      {header.column.getCanSort() ? (
                        <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span aria-hidden="true" className="sort-mark">
                            {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                          </span>
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id}>
                {row.getVisibleCells().map((cell, index) => {
                  const column = cell.column.columnDef.meta as FigureColumn<Row>;
                  const content = flexRender(cell.column.columnDef.cell, cell.getContext());
                  return index === 0 ? (
                    <th key={cell.id} scope="row">
                      {content}
                    </th>
                  ) : (
                    <td key={cell.id} className={column.numeric ? 'numeric-cell' : undefined} data-column={column.id}>
                      {content}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/**
 * A figure as a table shows it: withheld says so; otherwise the figure (a link to the episodes
 * behind it when there is one, `label` telling a screen reader which), then its interval and counts.
 */
export function CellText({ cell, href, label }: { cell: FigureCell; href: string | null; label?: string }) {
  if (cell.withheld) return <span className="withheld">{cell.text}</span>;
  return (
    <>
      {href ? (
        <Link to={href} className="figure-link">
          <span className="figure">{cell.text}</span>
          <span className="visually-hidden">{label ? ` ${label}` : ''}: list the episodes</span>
        </Link>
      ) : (
        <span className="figure">{cell.text}</span>
      )}
      {cell.detail ? <span className="figure-detail">{cell.detail}</span> : null}
      {cell.note ? <span className="figure-detail">{cell.note}</span> : null}
    </>
  );
}

function compare(a: number | string | null, b: number | string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** Show or hide columns; the choice goes into the URL without asking the server again. */
function ColumnPicker<Row>({
  columns,
  visible,
}: {
  columns: ReadonlyArray<FigureColumn<Row>>;
  visible: readonly string[];
}) {
  const location = useLocation();
  const navigate = useNavigate();
  const hideable = columns.filter((column) => column.hideable);
  if (hideable.length === 0) return null;
  const toggle = (id: string, show: boolean) => {
    const next = hideable
      .filter((column) => (column.id === id ? show : visible.includes(column.id)))
      .map((column) => column.id);
    const params = withValues(new URLSearchParams(location.search), 'columns', next);
    navigate(`${location.pathname}${searchString(params)}`, { replace: true, preventScrollReset: true });
  };
  return (
    <details className="column-picker">
      <summary>
        Columns ({visible.filter((id) => hideable.some((column) => column.id === id)).length} of {hideable.length}{' '}
        shown)
      </summary>
      <fieldset>
        <legend>Show these figures</legend>
        {hideable.map((column) => (
          <label key={column.id}>
            <input
              type="checkbox"
              checked={visible.includes(column.id)}
              onChange={(event) => toggle(column.id, event.currentTarget.checked)}
            />{' '}
            {column.header}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
