import type { WarehouseSummary } from '~/models/warehouse-summary.server';
import { formatCount, formatDuration, formatUtcMinute } from '~/utils/format';

type Run = WarehouseSummary['recentRuns'][number];

/** The latest ETL runs, newest first, with what each file gave. */
export function EtlRunsTable({ runs }: { runs: readonly Run[] }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby="runs-caption" tabIndex={0}>
      <table>
        <caption id="runs-caption">
          {runs.length === 1 ? 'The only run so far' : `The ${runs.length} newest runs, newest first`} (times in UTC)
        </caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col">Source</th>
            <th scope="col">Files: rows read, loaded, rejected</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <th scope="row">{run.id}</th>
              <td className="nowrap">
                {formatUtcMinute(run.startedAt)}
                {formatDuration(run.startedAt, run.finishedAt) ? (
                  <span className="detail"> took {formatDuration(run.startedAt, run.finishedAt)}</span>
                ) : null}
              </td>
              <td>
                <span className={`status status-${run.status}`}>{run.status}</span>
                {run.dryRun ? <span className="detail"> (dry run)</span> : null}
              </td>
              <td className="source">{run.source}</td>
              <td>
                {run.files.length === 0 ? (
                  <span className="detail">none recorded</span>
                ) : (
                  <ul className="files">
                    {run.files.map((file) => (
                      <li key={file.file}>
                        <span className="file-name">{file.file}</span>: {formatCount(file.read)} read,{' '}
                        {formatCount(file.loaded)} loaded,{' '}
                        <span className={file.rejected > 0 ? 'rejected' : undefined}>
                          {formatCount(file.rejected)} rejected
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>{run.reason ?? <span className="detail">none</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
