import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useRouteError } from '@remix-run/react';
import { NATIONAL_BENCHMARKS } from '../../db/definitions';
import { methods } from '../../db/methods';
import { ErrorMessage } from '~/components/error-message';
import { AGGREGATE_ROLES } from '~/models/dashboard-view.server';
import { requireUser } from '~/utils/auth.server';
import { minCellSize } from '~/utils/min-cell.server';

export const meta: MetaFunction = () => [
  { title: 'Methods · Therapy outcomes' },
  { name: 'description', content: 'Every definition, threshold, interval and privacy rule behind the figures.' },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: AGGREGATE_ROLES });
  return {
    methods: methods(minCellSize()),
    minCell: minCellSize(),
    benchmarks: Object.entries(NATIONAL_BENCHMARKS).map(([id, benchmark]) => ({
      id,
      label: benchmark.label,
      source: benchmark.source,
    })),
  };
}

/** The methods as data (db/methods.ts), so this page says what the SQL does, in words. */
export default function Methods() {
  const { methods: text, minCell, benchmarks } = useLoaderData<typeof loader>();
  return (
    <article className="methods">
      <h1>Methods</h1>
      <p className="lede">
        How every figure on these pages is defined and computed, with its source. Definitions version{' '}
        <strong>{text.definitions_version}</strong>; figures of groups with fewer than <strong>{minCell}</strong>{' '}
        patients are withheld on this server.
      </p>
      <nav aria-label="Sections of the methods">
        <ul>
          {text.sections.map((section) => (
            <li key={section.id}>
              <a href={`#${section.id}`}>{section.title}</a>
            </li>
          ))}
          <li>
            <a href="#benchmarks">National benchmarks</a>
          </li>
        </ul>
      </nav>
      {text.sections.map((section) => (
        <section key={section.id} aria-labelledby={section.id}>
          <h2 id={section.id}>{section.title}</h2>
          <dl>
            {section.entries.map((entry) => (
              <div key={entry.id}>
                <dt id={entry.id} tabIndex={-1}>
                  {entry.term}
                </dt>
                <dd>
                  <p>{entry.definition}</p>
                  <p className="detail">Source: {entry.source}</p>
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <section aria-labelledby="benchmarks">
        <h2 id="benchmarks">National benchmarks</h2>
        <p>
          Drawn as dashed reference lines and quoted on the cards, labelled as benchmarks: context from national
          services whose case mix may differ from ours, not targets. Each is shown only beside a figure of the
          definition it is measured on: the national recovery rate beside recovery on the NHS combined definition.
        </p>
        <dl>
          {benchmarks.map((benchmark) => (
            <div key={benchmark.id}>
              <dt>{benchmark.label}</dt>
              <dd className="detail">Source: {benchmark.source}</dd>
            </div>
          ))}
        </dl>
      </section>
    </article>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
