import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { rolesThatCan } from '../../db/access';
import { PastLastPageNotice } from '~/components/page-states';
import { RunFilesList } from '~/components/quality/run-files-list';
import { numberParam } from '~/models/audit-view.server';
import { auditView } from '~/models/dashboard-view.server';
import { loadEtlRunDetail } from '~/models/quality.server';
import { requireUser } from '~/utils/auth.server';
import { formatCount, formatUtcMinute } from '~/utils/format';
import { loadListPage } from '~/utils/list-pages';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Run ${data?.detail.run.id ?? ''} · Data loads · Therapy outcomes` },
];

/** Rejected rows per page; the CSV download has all of them. */
const PAGE_SIZE = 200;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const principal = await requireUser(request, context, { roles: rolesThatCan('data_quality') });
  const runId = Number(params.runId);
  if (!Number.isInteger(runId) || runId <= 0) throw new Response('No such run', { status: 404 });
  const url = new URL(request.url);
  const {
    answer: detail,
    page,
    pages,
    askedPastLast,
  } = await loadListPage({
    asked: numberParam(url, 'page', { fallback: 1, min: 1, max: 1_000_000 }),
    pageSize: PAGE_SIZE,
    load: async ({ offset }) => {
      const found = await loadEtlRunDetail(context, { runId, limit: PAGE_SIZE, offset });
      if (!found) throw new Response('No such run', { status: 404 });
      return found;
    },
    totalOf: (run) => run.rejections.total,
  });
  await auditView(context, { principal, url }, { action: 'page_view', rows: detail.rejections.rows.length });
  return { detail, page, pages, askedPastLast, viewer: { name: principal.name, role: principal.role } };
}

export default function RunDetail() {
  const { detail, page, pages, askedPastLast } = useLoaderData<typeof loader>();
  const { run, rejections } = detail;
  const first = rejections.offset + 1;
  const last = rejections.offset + rejections.rows.length;
  return (
    <>
      <p>
        <Link to="/quality/data-loads">All data loads</Link>
      </p>
      <h1>Run {run.id}</h1>
      <dl className="totals">
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`status status-${run.status}`}>{run.status}</span>
            {run.dryRun ? ' (dry run)' : ''}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatUtcMinute(new Date(run.startedAt))}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd className="source">{run.source}</dd>
        </div>
        <div>
          <dt>Rejected rows</dt>
          <dd>{formatCount(rejections.total)}</dd>
        </div>
      </dl>
      {run.reason ? <p>Reason: {run.reason}</p> : null}

      <section aria-labelledby="files-title">
        <h2 id="files-title">Files</h2>
        <RunFilesList files={run.files} />
      </section>

      <section aria-labelledby="rejections-title">
        <h2 id="rejections-title">Rejected rows</h2>
        {askedPastLast ? <PastLastPageNotice asked={askedPastLast} pages={pages} /> : null}
        {rejections.total === 0 ? (
          <p>This run rejected no rows.</p>
        ) : (
          <>
            <p>
              <a className="download-csv" href={`/quality/data-loads/${run.id}/rejections.csv`} download>
                Download CSV
                <span className="visually-hidden"> of all {formatCount(rejections.total)} rejected rows</span>
              </a>{' '}
              (all {formatCount(rejections.total)} rows: file, line, column, reason, masked value)
            </p>
            <p className="detail" id="masked-value-note">
              Values are masked: a rejected cell may hold anything, a date of birth or a name included, so only its
              shape is kept. Digits show as 9, capital letters as A, other letters as a, other characters as written,
              its first characters and its length; identifiers, and values of runs from before masking, are not kept.
            </p>
            <div className="table-scroll" role="region" aria-labelledby="rejections-caption" tabIndex={0}>
              <table>
                <caption id="rejections-caption">
                  Rows {formatCount(first)} to {formatCount(last)} of {formatCount(rejections.total)}, in file and line
                  order
                </caption>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Line</th>
                    <th scope="col">Column</th>
                    <th scope="col">Reason</th>
                    <th scope="col" aria-describedby="masked-value-note">
                      Value (masked)
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {/* One line can have several rejections, so the position is the key. */}
                  {rejections.rows.map((rejection, index) => (
                    <tr key={index}>
                      <td className="file-name">{rejection.file}</td>
                      <td className="numeric-cell">{rejection.line}</td>
                      <td>{rejection.column ?? <span className="detail">whole row</span>}</td>
                      <td>{rejection.reason}</td>
                      <td>{rejection.value ?? <span className="detail">not kept</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {pages > 1 ? (
              <nav aria-label="Pages of rejected rows" className="pager">
                {page > 1 ? <Link to={`?page=${page - 1}`}>Previous page</Link> : null}{' '}
                <span>
                  Page {page} of {pages}
                </span>{' '}
                {page < pages ? <Link to={`?page=${page + 1}`}>Next page</Link> : null}
              </nav>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}
