import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useLocation, useRouteError } from '@remix-run/react';
import { RateBarsChart } from '~/components/charts/rate-bars-chart';
import { ErrorMessage } from '~/components/error-message';
import { FilterBar } from '~/components/filter-bar';
import { CountCell, RateCell, SimpleTable, Withheld } from '~/components/quality/figures';
import { openAuditPageView } from '~/models/audit-view.server';
import { auditView } from '~/models/dashboard-view.server';
import { loadAccess } from '~/models/quality.server';
import { drillDownHref } from '~/utils/drill-down';
import { formatCount, formatDecimal } from '~/utils/format';

export const meta: MetaFunction = () => [{ title: 'Access · Quality · Therapy outcomes' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openAuditPageView({ request, context, capability: 'data_quality' });
  const access = await loadAccess(context, view);
  await auditView(context, view, {
    action: 'page_view',
    rows: access.by_location.length + access.by_modality.length + access.by_modality_location.length,
  });
  return { access, filterBar: view.filterBar };
}

type Access = ReturnType<typeof useLoaderData<typeof loader>>['access'];
type WaitRow = Access['overall'];

export default function AccessPage() {
  const { access, filterBar } = useLoaderData<typeof loader>();
  const params = new URLSearchParams(useLocation().search);
  const days = (value: number | null) => (value === null ? <Withheld /> : `${formatDecimal(value)} days`);
  const standards = access.overall.within?.map((within) => within.days) ?? [42, 126];
  const table = (unit: 'location' | 'modality', rows: readonly WaitRow[]) => (
    <SimpleTable
      caption={`Waits from referral to first session by ${unit}`}
      csv={{ path: '/quality/access.csv', table: unit }}
      headers={[
        unit === 'location' ? 'Location' : 'Modality',
        'Episodes with a wait',
        'Median',
        '90th percentile',
        ...standards.map((limit) => `Seen within ${limit} days`),
        ...standards.map((limit) => `Waited over ${limit} days`),
      ]}
      rows={rows.map((row) => {
        const name = (unit === 'location' ? row.location : row.modality) ?? 'Not recorded';
        return {
          key: name,
          cells: [
            name,
            row.episodes === null ? <Withheld /> : formatCount(row.episodes),
            days(row.median_days),
            days(row.p90_days),
            ...standards.map((limit, index) => (
              <RateCell key={`within-${limit}`} figure={row.within?.[index]?.figure ?? null} />
            )),
            ...standards.map((limit, index) => {
              const figure = row.within?.[index]?.figure;
              return (
                <CountCell
                  key={`over-${limit}`}
                  value={figure ? figure.denominator - figure.count : null}
                  href={drillDownHref(params, {
                    metric: `wait_within_${limit}`,
                    side: 'rest',
                    group: { [unit]: name },
                  })}
                  label={`waited over ${limit} days, ${name}`}
                />
              );
            }),
          ],
        };
      })}
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
            category: (unit === 'location' ? row.location : row.modality) ?? 'Not recorded',
            series: `within ${limit} days`,
            rate: figure?.rate ?? null,
            ciLow: figure?.ci_low ?? null,
            ciHigh: figure?.ci_high ?? null,
          };
        }),
      )}
      categories={rows.map((row) => (unit === 'location' ? row.location : row.modality) ?? 'Not recorded')}
      series={standards.map((limit) => `within ${limit} days`)}
      yLabel="Episodes seen in time"
    />
  );
  return (
    <>
      <h1>Access</h1>
      <p className="lede">
        Days from referral to the first session (median and 90th percentile) and the share seen within 6 weeks (42 days)
        and 18 weeks (126 days), over episodes with a wait recorded.
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
