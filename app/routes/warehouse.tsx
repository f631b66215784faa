import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useRouteError } from '@remix-run/react';
import { EpisodeCrossTabTable } from '~/components/episode-cross-tab-table';
import { ErrorMessage } from '~/components/error-message';
import { EtlRunsTable } from '~/components/etl-runs-table';
import { RejectionsTable } from '~/components/rejections-table';
import { loadWarehouseSummary } from '~/models/warehouse-summary.server';
import { recordAudit } from '~/utils/audit.server';
import { requireUser } from '~/utils/auth.server';
import { formatCount } from '~/utils/format';

export const meta: MetaFunction = () => [
  { title: 'What the warehouse holds · Therapy outcomes' },
  {
    name: 'description',
    content: 'Episodes by modality and location, and the latest ETL runs with their rejected rows.',
  },
];

// A loader that throws (the warehouse is down) keeps its headers, such as Retry-After, on the page.
export const headers: HeadersFunction = ({ errorHeaders }) => errorHeaders ?? new Headers();

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Raw episode counts per cell and the rejected rows of loads: the data team's view, not an
  // aggregate with small cells withheld, so quality and admin only.
  const principal = await requireUser(request, context, { roles: ['quality', 'admin'] });
  const summary = await loadWarehouseSummary({ context });
  await recordAudit(context, {
    principal,
    action: 'page_view',
    route: new URL(request.url).pathname,
    rows: summary.episodesByModalityAndLocation.rows.length,
  });
  return { summary };
}

export default function WarehouseOverview() {
  const { summary } = useLoaderData<typeof loader>();
  const { totals, episodesByModalityAndLocation, recentRuns, latestRunRejections } = summary;
  return (
    <>
      <h1>What the warehouse holds</h1>
      <p className="lede">
        What the loads have put in the warehouse: counts only, no outcome figures. The files and rejected rows of each
        run are under Quality, Data loads.
      </p>

      <section aria-labelledby="totals-title">
        <h2 id="totals-title">Totals</h2>
        <dl className="totals">
          <div>
            <dt>Episodes of care</dt>
            <dd>{formatCount(totals.episodes)}</dd>
          </div>
          <div>
            <dt>PHQ-9 and GAD-7 scores</dt>
            <dd>{formatCount(totals.scores)}</dd>
          </div>
          <div>
            <dt>Clients</dt>
            <dd>{formatCount(totals.clients)}</dd>
          </div>
          <div>
            <dt>Clinicians on the roster</dt>
            <dd>{formatCount(totals.rosterClinicians)}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="episodes-title">
        <h2 id="episodes-title">Episodes by modality and location</h2>
        {totals.episodes === 0 ? (
          <p>
            The warehouse holds no episodes yet. Load a clinic&apos;s files with{' '}
            <code>npm run etl -- load &lt;folder&gt;</code>.
          </p>
        ) : (
          <EpisodeCrossTabTable table={episodesByModalityAndLocation} />
        )}
      </section>

      <section aria-labelledby="runs-title">
        <h2 id="runs-title">Latest ETL runs</h2>
        {recentRuns.length === 0 ? <p>No load has run yet.</p> : <EtlRunsTable runs={recentRuns} />}
      </section>

      {latestRunRejections ? (
        <section aria-labelledby="rejections-title">
          <h2 id="rejections-title">Rejected rows of run {latestRunRejections.runId}</h2>
          {latestRunRejections.total === 0 ? (
            <p>The latest run rejected no rows.</p>
          ) : (
            <RejectionsTable rejections={latestRunRejections} />
          )}
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
