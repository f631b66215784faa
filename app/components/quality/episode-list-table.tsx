import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  type SortingState,
  useReactTable,
  type VisibilityState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Link } from '@remix-run/react';
import { useMemo, useRef, useState } from 'react';
import { WITHHELD } from '~/utils/format';
import { valueLabel } from '~/utils/labels';

/** One de-identified episode as the server sends it (db/queries/quality-episode-list.ts). */
export interface EpisodeListItem {
  pseudonym: string;
  modality: string | null;
  location: string | null;
  condition: string | null;
  age_band: string | null;
  start_month: string;
  end_month: string | null;
  sessions_attended: number;
  sessions_missed: number | null;
  wait_days: number | null;
  baseline: number | null;
  final: number | null;
  flags: string[];
  /** Quasi-identifiers withheld so that few people share the row's (db/queries/quasi-identifiers.ts). */
  withheld: readonly string[];
}

export const FLAG_LABELS: Record<string, string> = {
  finished: 'finished',
  paired: 'paired',
  no_baseline: 'no baseline',
  no_final: 'no final score',
  recovery: 'recovered',
  reliable_improvement: 'reliably improved',
  reliable_deterioration: 'reliably deteriorated',
  dropout: 'dropped out',
  early_dropout: 'early dropout',
  item9: 'item 9 above 0',
};

type Column = { id: keyof EpisodeListItem; header: string; numeric?: boolean; text: (row: EpisodeListItem) => string };

export const EPISODE_COLUMNS: readonly Column[] = [
  { id: 'pseudonym', header: 'Episode (pseudonym)', text: (row) => row.pseudonym },
  { id: 'modality', header: 'Modality', text: (row) => quasiIdentifier(row, 'modality') },
  { id: 'location', header: 'Location', text: (row) => quasiIdentifier(row, 'location') },
  { id: 'condition', header: 'Condition', text: (row) => quasiIdentifier(row, 'condition') },
  { id: 'age_band', header: 'Age band', text: (row) => quasiIdentifier(row, 'age_band') },
  { id: 'start_month', header: 'Started', text: (row) => row.start_month },
  { id: 'end_month', header: 'Ended', text: (row) => row.end_month ?? 'ongoing' },
  { id: 'sessions_attended', header: 'Sessions', numeric: true, text: (row) => String(row.sessions_attended) },
  { id: 'sessions_missed', header: 'Missed', numeric: true, text: (row) => optional(row.sessions_missed) },
  { id: 'wait_days', header: 'Wait (days)', numeric: true, text: (row) => optional(row.wait_days) },
  { id: 'baseline', header: 'Baseline', numeric: true, text: (row) => optional(row.baseline) },
  { id: 'final', header: 'Final', numeric: true, text: (row) => optional(row.final) },
  { id: 'flags', header: 'Flags', text: (row) => row.flags.map((flag) => FLAG_LABELS[flag] ?? flag).join(', ') },
];

/** A quasi-identifier as the row shows it: "withheld" where k-anonymity withheld it. */
function quasiIdentifier(row: EpisodeListItem, id: 'modality' | 'location' | 'condition' | 'age_band'): string {
  return row.withheld.includes(id) ? WITHHELD : valueLabel(id, row[id]);
}

function optional(value: number | null): string {
  return value === null ? 'not recorded' : String(value);
}

const ROW_HEIGHT = 34;

export type SortDirection = 'asc' | 'desc';

/**
 * A list that is one page of a longer one is sorted by the server over every matching episode
 * (sorting the page alone would mislead): its sortable headers are links to the first page in
 * the other order, and the rows keep their place in the whole list (aria-rowindex).
 */
export interface ServerSort {
  column: string;
  direction: SortDirection;
  /** The columns the server can sort by (db/queries/quality-episode-list.ts EPISODE_LIST_SORTS). */
  sortable: readonly string[];
  href: (column: string, direction: SortDirection) => string;
  /** The rows before this page, and every matching row. */
  offset: number;
  total: number;
}

/** The first press sorts numbers largest first and text A to Z; the next press flips. */
function nextDirection(column: Column, current: ServerSort): SortDirection {
  if (current.column === column.id) return current.direction === 'asc' ? 'desc' : 'asc';
  return column.numeric ? 'desc' : 'asc';
}

/**
 * The episode list: sortable headers (aria-sort), a text filter over the loaded rows, a choice of
 * columns, and virtualised rows, so thousands of episodes scroll without thousands of table rows
 * in the page. The first rows are rendered on the server too. Without `serverSort` the loaded
 * rows are all there is and sort in the page.
 */
export function EpisodeListTable({
  rows,
  caption,
  serverSort,
}: {
  rows: readonly EpisodeListItem[];
  caption: string;
  serverSort?: ServerSort;
}) {
  const [clientSorting, setSorting] = useState<SortingState>([]);
  const sorting = serverSort ? [{ id: serverSort.column, desc: serverSort.direction === 'desc' }] : clientSorting;
  const [globalFilter, setGlobalFilter] = useState('');
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>({});
  const definitions = useMemo<Array<ColumnDef<EpisodeListItem, string | number | null>>>(
    () =>
      EPISODE_COLUMNS.map((column) => ({
        id: column.id,
        header: column.header,
        accessorFn: (row) => (column.id === 'flags' ? column.text(row) : (row[column.id] as string | number | null)),
        cell: (context) => column.text(context.row.original),
        sortUndefined: 'last',
        // Missing values sort last either way; numbers as numbers.
        sortingFn: (a, b) => compareValues(a.getValue(column.id), b.getValue(column.id)),
        // The text filter looks at what the reader sees.
        filterFn: (row, _id, value: string) => column.text(row.original).toLowerCase().includes(value.toLowerCase()),
        meta: column,
      })),
    [],
  );
  const table = useReactTable({
    data: rows as EpisodeListItem[],
    columns: definitions,
    state: { sorting, globalFilter, columnVisibility },
    onSortingChange: setSorting,
    onGlobalFilterChange: setGlobalFilter,
    onColumnVisibilityChange: setColumnVisibility,
    globalFilterFn: (row, _id, value: string) =>
      EPISODE_COLUMNS.some((column) => column.text(row.original).toLowerCase().includes(String(value).toLowerCase())),
    manualSorting: serverSort !== undefined,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });
  const shownRows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shownRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
    // The server has no scroll box: it renders the rows a 600-pixel box shows.
    initialRect: { width: 1200, height: 600 },
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const visibleCount = table.getVisibleLeafColumns().length;
  // The rows' place in the whole list when this is one page of it and no text filter is on.
  const filtered = shownRows.length !== rows.length;
  const firstIndex = serverSort && !filtered ? serverSort.offset : 0;
  const rowCount = serverSort && !filtered ? serverSort.total : shownRows.length;

  return (
    <div className="episode-list">
      <div className="episode-list-tools">
        <label>
          Find in these rows{' '}
          <input type="search" value={globalFilter} onChange={(event) => setGlobalFilter(event.currentTarget.value)} />
        </label>
        <details className="column-picker">
          <summary>
            Columns ({visibleCount} of {EPISODE_COLUMNS.length} shown)
          </summary>
          <fieldset>
            <legend>Show these columns</legend>
            {table.getAllLeafColumns().map((column) => (
              <label key={column.id}>
                <input type="checkbox" checked={column.getIsVisible()} onChange={column.getToggleVisibilityHandler()} />{' '}
                {(column.columnDef.meta as Column).header}
              </label>
            ))}
          </fieldset>
        </details>
        <p aria-live="polite" className="detail">
          {shownRows.length === rows.length
            ? `${rows.length.toLocaleString('en-US')} rows`
            : `${shownRows.length.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} rows match`}
        </p>
      </div>
      <div ref={scrollRef} className="virtual-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table aria-rowcount={rowCount + 1}>
          <caption>{caption}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} aria-rowindex={1}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const column = header.column.columnDef.meta as Column;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className={column.numeric ? 'numeric-cell' : undefined}
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                    >
                      {serverSort ? (
                        serverSort.sortable.includes(column.id) ? (
                          <Link
                            className="sort-button"
                            to={serverSort.href(column.id, nextDirection(column, serverSort))}
                            preventScrollReset
                          >
                            {column.header}
                            <span aria-hidden="true" className="sort-mark">
                              {sortMark(sorted)}
                            </span>
                          </Link>
                        ) : (
                          column.header
                        )
                      ) : (
                        <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span aria-hidden="true" className="sort-mark">
                            {sortMark(sorted)}
                          </span>
                        </button>
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {paddingTop > 0 ? (
              <tr aria-hidden="true">
                <td colSpan={visibleCount} style={{ height: paddingTop, padding: 0, border: 0 }} />
              </tr>
            ) : null}
            {items.map((item) => {
              const row = shownRows[item.index]!;
              return (
                <tr key={row.id} aria-rowindex={firstIndex + item.index + 2} style={{ height: ROW_HEIGHT }}>
                  {row.getVisibleCells().map((cell) => {
                    const column = cell.column.columnDef.meta as Column;
                    return (
                      <td key={cell.id} className={column.numeric ? 'numeric-cell' : undefined}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
            {paddingBottom > 0 ? (
              <tr aria-hidden="true">
                <td colSpan={visibleCount} style={{ height: paddingBottom, padding: 0, border: 0 }} />
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function sortMark(sorted: false | 'asc' | 'desc'): string {
  return sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕';
}

function compareValues(a: unknown, b: unknown): number {
  if (a === null || a === undefined || b === null || b === undefined) {
    return a === b ? 0 : a === null || a === undefined ? 1 : -1;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en');
}
