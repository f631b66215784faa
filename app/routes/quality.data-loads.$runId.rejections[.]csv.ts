import type { LoaderFunctionArgs } from '@remix-run/node';
import { rolesThatCan } from '../../db/access';
import { auditView } from '~/models/dashboard-view.server';
import { streamCsv } from '~/models/csv-stream.server';
import { eachRejectionOf, loadEtlRunDetail } from '~/models/quality.server';
import { requireUser } from '~/utils/auth.server';

/** Every rejected row of one run as CSV, streamed in batches; recorded as an export. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const principal = await requireUser(request, context, { roles: rolesThatCan('data_quality') });
  const runId = Number(params.runId);
  const detail = Number.isInteger(runId) ? await loadEtlRunDetail(context, { runId, limit: 0, offset: 0 }) : null;
  if (!detail) throw new Response('No such run', { status: 404 });
  await auditView(
    context,
    { principal, url: new URL(request.url) },
    { action: 'export', rows: detail.rejections.total },
  );
  return streamCsv({
    fileName: `therapy-outcomes-run-${runId}-rejections.csv`,
    title: `Rejected rows of ETL run ${runId} (${detail.run.source})`,
    filters: [
      ['Run', String(runId)],
      // Said in the file itself: a CSV travels without the page that explains it.
      ['Values', 'masked: digits 9, capital letters A, other letters a, other characters as written, and the length'],
    ],
    header: ['file', 'line', 'column', 'reason', 'value_masked'],
    rows: (async function* () {
      for await (const rejection of eachRejectionOf(context, runId)) {
        yield [rejection.file, String(rejection.line), rejection.column ?? '', rejection.reason, rejection.value ?? ''];
      }
    })(),
  });
}
