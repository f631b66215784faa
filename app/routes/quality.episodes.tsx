import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation, useRouteError } from '@remix-run/react';
import { ErrorMessage } from '~/components/error-message';
import { FilterBar } from '~/components/filter-bar';
import { PastLastPageNotice } from '~/components/page-states';
import { EpisodeListTable, type SortDirection } from '~/components/quality/episode-list-table';
import { EVERY_FILTER, numberParam, openAuditPageView } from '~/models/audit-view.server';
import { auditView } from '~/models/dashboard-view.server';
import {
  drillDownOf,
  EPISODE_LIST_MAX_ROWS,
  EPISODE_LIST_SORTS,
  loadEpisodeList,
  pseudonymSearchOf,
  sortOf,
} from '~/models/quality.server';
import { minCellSize } from '~/utils/min-cell.server';
import { DRILL_METRIC_LABELS, DRILL_SIDE_LABELS } from '~/utils/drill-down';
import { searchString } from '~/utils/filter-url';
import { formatCount } from '~/utils/format';
import { loadListPage } from '~/utils/list-pages';
import { PSEUDONYM_DISPLAY_LENGTH } from '../../db/definitions';

export const meta: MetaFunction = () => [{ title: 'Episode list · Quality · Therapy outcomes' }];

/**
 * Rows per page. The server sorts and searches the whole list, so a page need only be what a
 * reader scrolls through; at 10,000 rows a page took ~330 ms of server time to encode (p95 560 ms
 * at a million episodes, bench `pages` part), at 2,000 its p95 was 218 ms.
 */
const PAGE_ROWS = 2_000;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openAuditPageView({
    request,
    context,
    capability: 'data_quality',
    dimensions: EVERY_FILTER,
  });
  const {
    answer: list,
    page,
    pages,
    askedPastLast,
  } = await loadListPage({
    asked: numberParam(view.url, 'page', { fallback: 1, min: 1, max: 100_000 }),
    pageSize: PAGE_ROWS,
    load: ({ offset }) => loadEpisodeList(context, view, { limit: PAGE_ROWS, offset }),
    // Episodes the filters alone would single out are counted but not listed (k-anonymity).
    totalOf: (answer) => answer.total - answer.unlisted,
  });
  await auditView(context, view, { action: 'page_view', rows: list.rows.length });
  return {
    list,
    page,
    pages,
    askedPastLast,
    pageRows: PAGE_ROWS,
    sort: sortOf(view.url),
    sortable: EPISODE_LIST_SORTS,
    search: pseudonymSearchOf(view.url),
    drill: drillDownOf(view.url) ?? null,
    filterBar: view.filterBar,
    k: minCellSize(),
    fileRows: EPISODE_LIST_MAX_ROWS,
  };
}

export default function EpisodeList() {
  const { list, page, pages, askedPastLast, pageRows, sort, sortable, search, drill, filterBar, k, fileRows } =
    useLoaderData<typeof loader>();
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  // Episodes the filters alone would single out are counted but not listed (k-anonymity).
  const listed = list.total - list.unlisted;
  const generalised = list.rows.some((row) => row.withheld.length > 0);
  /** This list (or its CSV) with some parameters set, or removed where null; the rest as they are. */
  const listHref = (changes: Record<string, string | null>, pathname = location.pathname) => {
    const copy = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) copy.delete(key);
      else copy.set(key, value);
    }
    return `${pathname}${searchString(copy)}`;
  };
  const withPage = (next: number) => listHref({ page: String(next) });
  const withSort = (column: string, direction: SortDirection) => listHref({ sort: column, dir: direction, page: null });
  // The search form keeps every other choice of the URL (filters, drill-down, order); a new search starts on page 1.
  const kept = [...params].filter(([key]) => key !== 'episode' && key !== 'page');
  return (
    <>
      <h1>Episode list</h1>
      <p className="lede">
        De-identified episodes: a shortened pseudonym, months not dates, age bands; no clinician or diagnosis code.
        Scores are on the instrument chosen in the filters (PHQ-9 on the combined definition).
      </p>
      <FilterBar data={filterBar} />
      {drill ? (
        <p className="drill-summary">
          <strong>The episodes behind a figure:</strong> {DRILL_METRIC_LABELS[drill.metric] ?? drill.metric},{' '}
          {DRILL_SIDE_LABELS[drill.side ?? 'count']}
          {drill.clinician ? `, clinician ${drill.clinician === 'none' ? 'not recorded' : drill.clinician}` : ''}
          {drill.month ? `, started ${drill.month}` : ''}.{' '}
          <Link to={listHref({ metric: null, side: null, clinician: null, month: null, page: null })}>
            List every episode instead
          </Link>
        </p>
      ) : null}
      <Form method="get" role="search" className="find-episode" preventScrollReset>
        {kept.map(([key, value], index) => (
          <input key={`${key}-${index}`} type="hidden" name={key} value={value} />
        ))}
        <label>
          Find episodes by pseudonym{' '}
          <input
            // A new search (or Clear) shows what the URL now asks, not what was last typed.
            key={search.pseudonym ?? search.invalid ?? ''}
            name="episode"
            defaultValue={search.pseudonym ?? search.invalid ?? ''}
            maxLength={PSEUDONYM_DISPLAY_LENGTH}
            autoComplete="off"
            spellCheck={false}
            aria-describedby="find-episode-hint"
            aria-invalid={search.invalid ? true : undefined}
          />
        </label>{' '}
        <button type="submit">Find</button>
        {search.pseudonym || search.invalid ? (
          <>
            {' '}
            <Link to={listHref({ episode: null, page: null })}>Clear the search</Link>
          </>
        ) : null}
        <span id="find-episode-hint" className="detail">
          {' '}
          The first characters of the pseudonym in the list’s first column (0-9, a-f).
        </span>
      </Form>
      {search.invalid ? (
        <p role="alert" className="notice">
          “{search.invalid}” cannot start a pseudonym (they are 0-9 and a-f, up to {PSEUDONYM_DISPLAY_LENGTH}{' '}
          characters): every episode below is listed.
        </p>
      ) : null}
      <p>
        {search.pseudonym ? `Pseudonyms starting “${search.pseudonym}”: ` : ''}
        {formatCount(list.total)} episodes match.{' '}
        {list.unlisted > 0
          ? `${formatCount(list.unlisted)} of them are not listed: with these filters they would be shared by fewer than ${k} people on age band, condition, location and modality. `
          : ''}
        {/* The CSV holds the whole list (every page) in the list's order, up to its bound. */}
        <a className="download-csv" href={listHref({ page: null }, '/quality/episodes.csv')} download>
          Download CSV
          <span className="visually-hidden">
            {' '}
            of {listed > fileRows ? `the first ${formatCount(fileRows)} of ` : ''}
            {formatCount(listed)} listed episodes
          </span>
        </a>
      </p>
      {generalised ? (
        <p>
          Where fewer than {k} people share a row&apos;s age band, condition, location and modality, the row shows
          &ldquo;withheld&rdquo; for the age band first, then the condition, location and modality, until at least {k}{' '}
          do (k-anonymity; see Methods).
        </p>
      ) : null}
      {askedPastLast ? <PastLastPageNotice asked={askedPastLast} pages={pages} /> : null}
      {list.total === 0 ? (
        <p className="empty-state">No episodes match these filters.</p>
      ) : listed === 0 ? (
        <p className="empty-state">No episode can be listed for these filters without singling a person out.</p>
      ) : (
        <EpisodeListTable
          rows={list.rows}
          caption={`Episodes ${formatCount(list.offset + 1)} to ${formatCount(list.offset + list.rows.length)} of ${formatCount(listed)} listed`}
          serverSort={{ ...sort, sortable, href: withSort, offset: list.offset, total: listed }}
        />
      )}
      {pages > 1 ? (
        <nav aria-label="Pages of episodes" className="pager">
          {page > 1 ? <Link to={withPage(page - 1)}>Previous {formatCount(pageRows)}</Link> : null}{' '}
          <span>
            Page {page} of {pages}
          </span>{' '}
          {page < pages ? <Link to={withPage(page + 1)}>Next {formatCount(pageRows)}</Link> : null}
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
