import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';
import { DownloadCsv } from '~/components/download-csv';
import type { ProportionFigure } from '~/utils/outcome-types';
import { formatCount, formatPercent, WITHHELD } from '~/utils/format';

/**
 * Small pieces the quality and staffing tables share: a rate with its interval and counts, a
 * withheld cell that says so (never a zero), a count that links to the episodes behind it.
 */

export function Withheld() {
  return <span className="withheld">{WITHHELD}</span>;
}

export function RateCell({ figure }: { figure: ProportionFigure | null }) {
  if (!figure || figure.rate === null) return <Withheld />;
  return (
    <>
      <span className="figure">{formatPercent(figure.rate)}</span>
      <span className="figure-detail">
        {figure.ci_low !== null && figure.ci_high !== null
          ? `95% CI ${formatPercent(figure.ci_low)} to ${formatPercent(figure.ci_high)}; `
          : ''}
        {formatCount(figure.count)} of {formatCount(figure.denominator)}
      </span>
    </>
  );
}

export function CountCell({ value, href, label }: { value: number | null; href?: string; label?: string }) {
  if (value === null) return <Withheld />;
  if (!href || value === 0) return <>{formatCount(value)}</>;
  return (
    <Link to={href}>
      {formatCount(value)}
      {label ? <span className="visually-hidden"> {label}: list the episodes</span> : null}
    </Link>
  );
}

/**
 * A plain figure table: a caption, column headers, and rows whose first cell names the row; with
 * `csv`, a "Download CSV" of its figures above it (the page's CSV route, `table` naming which).
 */
export function SimpleTable({
  caption,
  headers,
  rows,
  csv,
}: {
  caption: string;
  headers: readonly string[];
  rows: ReadonlyArray<{ key: string; cells: readonly ReactNode[] }>;
  csv?: { path: string; table: string };
}) {
  return (
    <div className="simple-table">
      {csv ? <DownloadCsv path={csv.path} table={csv.table} what={caption} /> : null}
      <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {headers.map((header) => (
                <th key={header} scope="col">
                  {header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                {row.cells.map((cell, index) =>
                  index === 0 ? (
                    <th key={index} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={index} className="numeric-cell">
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
