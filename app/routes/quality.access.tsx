import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useRouteError } from '@remix-run/react';
import { roleCan } from '../../db/access';
import { QUALITY_RULES } from '../../db/definitions';
import { RateBarsChart } from '~/components/charts/rate-bars-chart';
import { MethodsLink } from '~/components/page-states';
import { ErrorMessage } from '~/components/error-message';
import { FilterBar } from '~/components/filter-bar';
import { SimpleTable, Withheld } from '~/components/quality/figures';
import { openAuditPageView } from '~/models/audit-view.server';
import { auditView } from '~/models/dashboard-view.server';
import { loadAccess } from '~/models/quality.server';
import { formatCount, formatPercent, NOT_RECORDED } from '~/utils/format';
import { accessStandardLines, accessStandardsOf, accessTable, overallWaitText } from '~/utils/quality-tables';

export const meta: MetaFunction = () => [{ title: 'Access · Quality · Therapy outcomes' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openAuditPageView({ request, context, capability: 'data_quality' });
  const access = await loadAccess(context, view);
  await auditView(context, view, {
    action: 'page_view',
    rows: access.by_location.length + access.by_modality.length + access.by_modality_location.length,
  });
  // Quality pages are for roles that may list episodes (data_quality), so their figures link.
  return { access, filterBar: view.filterBar, episodeLinks: roleCan(view.principal.role, 'data_quality') };
}

type Access = ReturnType<typeof useLoaderData<typeof loader>>['access'];
type WaitRow = Access['overall'];

export default function AccessPage() {
  const { access, filterBar, episodeLinks } = useLoaderData<typeof loader>();
  const days = (value: number | null) => overallWaitText(access.overall, value) ?? <Withheld />;
  const standards = accessStandardsOf(access.overall);
  const table = (unit: 'location' | 'modality', rows: readonly WaitRow[]) => (
    <SimpleTable
      table={accessTable(unit, rows, standards)}
      csv={{ path: '/quality/access.csv', table: unit }}
      episodeLinks={episodeLinks}
    />
  );
  const chart = (unit: 'location' | 'modality', rows: readonly WaitRow[]) => (
    <RateBarsChart
      id={`waits-${unit}`}
      title={`Share seen within ${standards.join(' and ')} days by ${unit}`}
      description={`Share of episodes seen within each waiting-time standard, by ${unit}, with 95% intervals.`}
      bars={rows.flatMap((row) =>
        standards.map((limit, index) => {
          const figure = row.within?.[index]?.figure ?? null;
          return {
            category: (unit === 'location' ? row.location : row.modality) ?? NOT_RECORDED,
            series: `within ${limit} days`,
            rate: figure?.rate ?? null,
            ciLow: figure?.ci_low ?? null,
            ciHigh: figure?.ci_high ?? null,
          };
        }),
      )}
      categories={rows.map((row) => (unit === 'location' ? row.location : row.modality) ?? NOT_RECORDED)}
      series={standards.map((limit) => `within ${limit} days`)}
      yLabel="Episodes seen in time"
      references={accessStandardLines(standards)}
    />
  );
  return (
    <>
      <h1>Access</h1>
      <p className="lede">
        Days from referral to the first session (median and 90th percentile) and the share seen within 6 weeks (42 days)
        and 18 weeks (126 days), over episodes with a wait recorded. The NHS standard for talking therapies expects{' '}
        {QUALITY_RULES.waitStandardShares.map((share) => formatPercent(share, { digits: 0 })).join(' and ')}; the charts
        draw both. <MethodsLink anchor="waits">How waits are counted</MethodsLink>
      </p>
      <FilterBar data={filterBar} />
      <p>
        Overall: median {days(access.overall.median_days)}, 90th percentile {days(access.overall.p90_days)} over{' '}
        {access.overall.episodes === null ? <Withheld /> : formatCount(access.overall.episodes)} episodes.
      </p>
      <section aria-labelledby="by-location">
        <h2 id="by-location">By location</h2>
        <div className="chart-and-table">
          {chart('location', access.by_location)}
          {table('location', access.by_location)}
        </div>
      </section>
      <section aria-labelledby="by-modality">
        <h2 id="by-modality">By modality</h2>
        <div className="chart-and-table">
          {chart('modality', access.by_modality)}
          {table('modality', access.by_modality)}
        </div>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
