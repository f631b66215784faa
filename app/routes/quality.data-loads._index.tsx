import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { rolesThatCan } from '../../db/access';
import { RunFilesList } from '~/components/quality/run-files-list';
import { auditView } from '~/models/dashboard-view.server';
import { loadEtlRuns } from '~/models/quality.server';
import { requireUser } from '~/utils/auth.server';
import { formatCount, formatDuration, formatUtcMinute } from '~/utils/format';

export const meta: MetaFunction = () => [{ title: 'Data loads · Quality · Therapy outcomes' }];

/** How many runs the page lists, newest first. */
const RUNS_SHOWN = 100;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireUser(request, context, { roles: rolesThatCan('data_quality') });
  const runs = await loadEtlRuns(context, RUNS_SHOWN);
  await auditView(context, { principal, url: new URL(request.url) }, { action: 'page_view', rows: runs.length });
  return { runs, viewer: { name: principal.name, role: principal.role } };
}

export default function DataLoads() {
  const { runs } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Data loads</h1>
      <p className="lede">
        Every ETL run with its files, their checksums and row counts, and its status. Open a run to see its rejected
        rows (file, line, column and reason) and download them to fix the source files.
      </p>
      {runs.length === 0 ? (
        <p>No load has run yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="runs-caption" tabIndex={0}>
          <table>
            <caption id="runs-caption">The {formatCount(runs.length)} newest runs, newest first (times in UTC)</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Started</th>
                <th scope="col">Status</th>
                <th scope="col">Source</th>
                <th scope="col">Files</th>
                <th scope="col">Reason</th>
                <th scope="col">Rejected rows</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => {
                const startedAt = new Date(run.startedAt);
                const finishedAt = run.finishedAt ? new Date(run.finishedAt) : null;
                const rejected = run.files.reduce((sum, file) => sum + file.rejected, 0);
                return (
                  <tr key={run.id}>
                    <th scope="row">{run.id}</th>
                    <td className="nowrap">
                      {formatUtcMinute(startedAt)}
                      {formatDuration(startedAt, finishedAt) ? (
                        <span className="detail"> took {formatDuration(startedAt, finishedAt)}</span>
                      ) : null}
                    </td>
                    <td>
                      <span className={`status status-${run.status}`}>{run.status}</span>
                      {run.dryRun ? <span className="detail"> (dry run)</span> : null}
                    </td>
                    <td className="source">{run.source}</td>
                    <td>
                      <RunFilesList files={run.files} />
                    </td>
                    <td>{run.reason ?? <span className="detail">none</span>}</td>
                    <td>
                      <Link to={`/quality/data-loads/${run.id}`}>
                        {formatCount(rejected)}
                        <span className="visually-hidden"> rejected rows of run {run.id}:</span> details
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
