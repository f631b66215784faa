import type { WarehouseSummary } from '~/models/warehouse-summary.server';
import { formatCount, plural } from '~/utils/format';

type Rejections = NonNullable<WarehouseSummary['latestRunRejections']>;

/** Rejected rows of one run, in file and line order; every one is kept with the run. */
export function RejectionsTable({ rejections }: { rejections: Rejections }) {
  const { runId, total, shown } = rejections;
  const caption =
    shown.length < total
      ? `The first ${formatCount(shown.length)} of ${plural(total, 'rejected row')} of run ${runId}, in file and line order`
      : `${plural(total, 'rejected row')} of run ${runId}, in file and line order`;
  return (
    <>
      <div className="table-scroll" role="region" aria-labelledby="rejections-caption" tabIndex={0}>
        <table>
          <caption id="rejections-caption">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {/* A static list in a fixed order; one line can have several rejections, so the index is the key. */}
            {shown.map((rejection, index) => (
              <tr key={index}>
                <td className="file-name">{rejection.file}</td>
                <td className="numeric-cell">{rejection.line}</td>
                <td>{rejection.column ?? <span className="detail">whole row</span>}</td>
                <td>{rejection.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length < total ? (
        <p>
          All of them are kept with the run:{' '}
          <code>
            npm run etl -- runs --run {runId} --limit {total}
          </code>
        </p>
      ) : null}
    </>
  );
}
