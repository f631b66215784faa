import { useLocation } from '@remix-run/react';
import { type PageInputProblem, withInputsApplied } from '~/utils/page-inputs';

/**
 * "Download CSV" of the figures beside it: the page's CSV route with this view's search, read
 * at click time so it follows the columns the reader has just chosen. A plain link (the browser
 * downloads it; the server records the export). An input the server could not use (`inputProblems`,
 * which the file would refuse) goes as the value it used: the file is the figures shown.
 */
export function DownloadCsv({
  path,
  what,
  table,
  inputProblems,
}: {
  path: string;
  what: string;
  table?: string;
  inputProblems?: readonly PageInputProblem[];
}) {
  const params = withInputsApplied(new URLSearchParams(useLocation().search), inputProblems);
  // A page with two tables names the second (`table=survival`); the file says which it is.
  if (table) params.set('table', table);
  const search = params.toString();
  return (
    <a className="download-csv" href={`${path}${search ? `?${search}` : ''}`} download>
      Download CSV<span className="visually-hidden"> of {what}</span>
    </a>
  );
}
