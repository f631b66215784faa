import { useLocation } from '@remix-run/react';

/**
 * "Download CSV" of the figures beside it: the page's CSV route with this view's search, read
 * at click time so it follows the columns the reader has just chosen. A plain link (the browser
 * downloads it; the server records the export).
 */
export function DownloadCsv({ path, what, table }: { path: string; what: string; table?: string }) {
  const params = new URLSearchParams(useLocation().search);
  // A page with two tables names the second (`table=survival`); the file says which it is.
  if (table) params.set('table', table);
  const search = params.toString();
  return (
    <a className="download-csv" href={`${path}${search ? `?${search}` : ''}`} download>
      Download CSV<span className="visually-hidden"> of {what}</span>
    </a>
  );
}
