import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { rolesThatCan } from '../../db/access';
import { PastLastPageNotice } from '~/components/page-states';
import { AUDIT_PAGE_SIZE, loadAuditPage, parseAuditFilter } from '~/models/audit-log.server';
import { recordAudit } from '~/utils/audit.server';
import { requireUser } from '~/utils/auth.server';
import { formatCount, formatUtcMinute } from '~/utils/format';
import { loadListPage } from '~/utils/list-pages';

export const meta: MetaFunction = () => [{ title: 'Audit trail · Therapy outcomes' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireUser(request, context, { roles: rolesThatCan('audit_log') });
  const url = new URL(request.url);
  const asked = parseAuditFilter(url.searchParams);
  // Counted here: AUDIT_PAGE_SIZE lives in a .server module, which the browser bundle empties.
  const { answer, page, pages, askedPastLast } = await loadListPage({
    asked: asked.page,
    pageSize: AUDIT_PAGE_SIZE,
    load: ({ page }) => loadAuditPage(context, { ...asked, page }),
    totalOf: (lines) => lines.total,
  });
  await recordAudit(context, {
    principal,
    action: 'page_view',
    route: url.pathname,
    filters: url.searchParams,
    rows: answer.events.length,
  });
  return { filter: { ...asked, page }, ...answer, pages, askedPastLast, search: url.searchParams.toString() };
}

export default function AuditTrail() {
  const { filter, events, total, pages, askedPastLast, actions, search } = useLoaderData<typeof loader>();
  const pageHref = (page: number) => {
    const params = new URLSearchParams(search);
    params.set('page', String(page));
    return `?${params}`;
  };
  const exportParams = new URLSearchParams(search);
  exportParams.delete('page');
  return (
    <>
      <h1>Audit trail</h1>
      <p className="lede">
        Every sign-in (and failed attempt), sign-out, page view of outcome data, export and API call: when, who, in
        which role, what was asked and how many rows left. Times are UTC. The trail cannot be changed from the app.
      </p>
      <Form method="get" className="filter-row" aria-label="Filter the audit trail">
        <label>
          Action{' '}
          <select name="action" defaultValue={filter.action ?? ''}>
            <option value="">All</option>
            {actions.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        <label>
          Who (part of an email or token name) <input type="search" name="who" defaultValue={filter.who ?? ''} />
        </label>
        <label>
          What (start of the address, e.g. /quality/episodes){' '}
          <input type="search" name="route" defaultValue={filter.route ?? ''} />
        </label>
        <label>
          From <input type="date" name="from" defaultValue={filter.from ?? ''} />
        </label>
        <label>
          To <input type="date" name="to" defaultValue={filter.to ?? ''} />
        </label>
        <button type="submit">Show</button>
      </Form>
      <p>
        <a href={`/audit/export?${exportParams}`} download>
          Download these {formatCount(total)} lines as CSV
        </a>{' '}
        (the download is itself recorded).
      </p>
      {askedPastLast ? <PastLastPageNotice asked={askedPastLast} pages={pages} /> : null}
      <div className="table-scroll" role="region" aria-labelledby="audit-caption" tabIndex={0}>
        <table>
          <caption id="audit-caption">
            {formatCount(total)} lines, newest first; page {filter.page} of {pages}
          </caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">Role</th>
              <th scope="col">Action</th>
              <th scope="col">Route and filters</th>
              <th scope="col">Rows out</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <td className="nowrap">{formatUtcMinute(event.at)}</td>
                <th scope="row">
                  {event.principalName ?? '—'}
                  {event.principalKind === 'token'
                    ? ' (token)'
                    : event.principalKind === 'anonymous'
                      ? ' (not signed in)'
                      : ''}
                </th>
                <td>{event.role ?? '—'}</td>
                <td>
                  {event.action}
                  {event.detail ? <span className="detail"> {event.detail}</span> : null}
                </td>
                <td>
                  <code>{event.route}</code>
                  {event.filters ? <span className="detail"> {JSON.stringify(event.filters)}</span> : null}
                </td>
                <td className="numeric-cell">{event.rows === null ? '—' : formatCount(event.rows)}</td>
                <td>{event.clientAddress ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages of the audit trail" className="pager">
        {filter.page > 1 ? <Link to={pageHref(filter.page - 1)}>Newer</Link> : null}{' '}
        {filter.page < pages ? <Link to={pageHref(filter.page + 1)}>Older</Link> : null}
      </nav>
    </>
  );
}
