import { useLocation } from '@remix-run/react';
import { DownloadCsv } from '~/components/download-csv';
import { CellText } from '~/components/figure-table';
import { drillDownHref } from '~/utils/drill-down';
import { withoutOutcomeOnlyFilters } from '~/utils/filter-url';
import { WITHHELD } from '~/utils/format';
import type { ProportionFigure } from '~/utils/outcome-types';
import { type DrillTarget, type PageTable, rateCell } from '~/utils/page-table';
import type { PageInputProblem } from '~/utils/page-inputs';

/**
 * Pieces the quality and staffing pages share (and Compare, for its difference of two modalities):
 * a figure table drawn from its one definition (app/utils/quality-tables.ts, staffing-tables.ts,
 * difference-table.ts; the CSV file writes the same columns), a rate
 * with its interval and counts, a withheld cell that says so (never a zero), and a figure that
 * links to the episodes behind it.
 */

export function Withheld() {
  return <span className="withheld">{WITHHELD}</span>;
}

export function RateCell({ figure }: { figure: ProportionFigure | null }) {
  return <CellText cell={rateCell(figure)} href={null} />;
}

/**
 * A page's figure table: a caption, the columns' headers, and rows whose first cell names the row;
 * with `csv`, a "Download CSV" of its figures above it (the page's CSV route, `table` naming which;
 * `inputProblems`, the page inputs it could not use, go as the values used).
 * With `episodeLinks`, a figure links to the episode list behind it (the page's filters kept).
 */
export function SimpleTable<Row>({
  table,
  csv,
  episodeLinks = false,
}: {
  table: PageTable<Row>;
  csv?: { path: string; table: string; inputProblems?: readonly PageInputProblem[] };
  episodeLinks?: boolean;
}) {
  // The audit pages do not apply the baseline band; neither do the lists their figures open.
  const params = withoutOutcomeOnlyFilters(new URLSearchParams(useLocation().search));
  const hrefOf = (target: DrillTarget | null | undefined) =>
    episodeLinks && target ? drillDownHref(params, target) : null;
  return (
    <div className="simple-table">
      {csv ? (
        <DownloadCsv path={csv.path} table={csv.table} what={table.title} inputProblems={csv.inputProblems} />
      ) : null}
      <div className="table-scroll" role="region" aria-label={table.title} tabIndex={0}>
        <table>
          <caption>{table.title}</caption>
          <thead>
            <tr>
              {table.columns.map((column) => (
                <th key={column.header} scope="col" className={column.numeric ? 'numeric-cell' : undefined}>
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={table.rowKey(row)}>
                {table.columns.map((column, index) => {
                  const target = column.drill?.(row);
                  const content = <CellText cell={column.cell(row)} href={hrefOf(target)} label={target?.label} />;
                  return index === 0 ? (
                    <th key={column.header} scope="row">
                      {content}
                    </th>
                  ) : (
                    // Words (a reading, a position) read from the left; figures line up on the right.
                    <td key={column.header} className={column.numeric ? 'numeric-cell' : undefined}>
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
