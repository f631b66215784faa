import { Form, Link, useLocation } from '@remix-run/react';
import { formatListValue, formatValueList } from '../../db/value-list';
import { INSTRUMENT_LABELS } from '~/utils/labels';
import {
  instrumentForConditions,
  listValues,
  PAGE_KEY,
  searchString,
  withoutFilters,
  withValues,
} from '~/utils/filter-url';
import { useViewParams } from '~/utils/use-view-params';

/** What the server tells the filter bar (app/models/filters.server.ts). */
export interface FilterBarData {
  /** The list filters and their allowed values, in display order. */
  lists: Array<{ key: string; label: string; values: Array<{ value: string; label: string }> }>;
  instrument: { value: string; automatic: boolean };
  /**
   * False where the page's figures do not depend on the condition switch, the instrument or the
   * period of episode end (the staffing pages): those controls are not shown, as they would change
   * nothing, and the summary names no instrument.
   */
  outcomeControls: boolean;
  /** Filters in force, in words: [label, values], for the summary, print and the CSV file. */
  applied: Array<[string, string]>;
  /** A URL parameter the server could not use, with what it accepts. */
  problem: { parameter: string; allowed: string } | null;
  /** A filter in the URL left out because it does not fit the instrument chosen, and why; the others apply. */
  notApplied?: { parameter: string; reason: string } | null;
}

const CONDITION_SWITCH: ReadonlyArray<{ label: string; conditions: string[] }> = [
  { label: 'All conditions', conditions: [] },
  { label: 'Depression', conditions: ['depression'] },
  { label: 'Anxiety', conditions: ['anxiety'] },
  { label: 'Depression and anxiety', conditions: ['depression', 'anxiety'] },
];

/**
 * The filters, all in the URL. Every change navigates to the new view's URL at once (with
 * JavaScript); without it, the Apply button submits the same form and the server tidies the URL.
 * The summary line says what is applied and "Clear all filters" removes them in one go.
 */
export function FilterBar({ data }: { data: FilterBarData }) {
  const [params, setView] = useViewParams();
  const { pathname } = useLocation();
  const conditions = listValues(params, 'condition');
  const sameSet = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((value) => b.includes(value));
  const switchIndex = CONDITION_SWITCH.findIndex((choice) => sameSet(choice.conditions, conditions));
  const automatic = instrumentForConditions(conditions);
  const instrumentValue = params.get('instrument') ?? '';

  return (
    <section className="filter-bar" aria-labelledby="filters-title">
      <h2 id="filters-title" className="visually-hidden">
        Filters
      </h2>
      <Form method="get" className="filter-form" preventScrollReset>
        {data.outcomeControls ? (
          <>
            <fieldset className="condition-switch">
              <legend>Condition</legend>
              {CONDITION_SWITCH.map((choice, index) => (
                <label key={choice.label}>
                  <input
                    type="radio"
                    // Without JavaScript the form sends these as conditions; with it, onChange navigates.
                    name="condition"
                    value={formatValueList(choice.conditions)}
                    checked={switchIndex === index}
                    onChange={() => {
                      // A new condition picks its instrument again, unless the reader chose one.
                      const next = withValues(params, 'condition', choice.conditions);
                      setView(next);
                    }}
                  />{' '}
                  {choice.label}
                </label>
              ))}
            </fieldset>

            <label className="instrument-select">
              Instrument{' '}
              <select
                name="instrument"
                value={instrumentValue}
                onChange={(event) =>
                  setView(
                    withValues(params, 'instrument', event.currentTarget.value ? [event.currentTarget.value] : []),
                  )
                }
              >
                <option value="">Automatic: {INSTRUMENT_LABELS[automatic]}</option>
                {Object.entries(INSTRUMENT_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : null}

        {data.lists.map((list) => {
          const chosen = listValues(params, list.key);
          return (
            <details key={list.key} className="filter-menu">
              <summary>
                {list.label}: <span className="chosen">{chosen.length === 0 ? 'all' : `${chosen.length} chosen`}</span>
              </summary>
              <fieldset>
                <legend>{list.label}</legend>
                {list.values.map((option) => (
                  <label key={option.value}>
                    <input
                      type="checkbox"
                      name={list.key}
                      // The list syntax's spelling: a site name with a comma arrives as one value
                      // when the form is sent without JavaScript (db/value-list.ts).
                      value={formatListValue(option.value)}
                      checked={chosen.includes(option.value)}
                      onChange={(event) => {
                        const checked = event.currentTarget.checked;
                        const values = checked
                          ? [...chosen, option.value]
                          : chosen.filter((value) => value !== option.value);
                        setView(withValues(params, list.key, values));
                      }}
                    />{' '}
                    {option.label}
                  </label>
                ))}
              </fieldset>
            </details>
          );
        })}

        {data.outcomeControls ? (
          <fieldset className="period">
            <legend>Episodes ended</legend>
            {(['from', 'to'] as const).map((key) => (
              <label key={key}>
                {key === 'from' ? 'from' : 'to'}{' '}
                <input
                  type="month"
                  name={key}
                  value={params.get(key) ?? ''}
                  min="2000-01"
                  max="2099-12"
                  onChange={(event) => {
                    const value = event.currentTarget.value;
                    if (value === '' || /^\d{4}-\d{2}$/.test(value))
                      setView(withValues(params, key, value ? [value] : []));
                  }}
                />
              </label>
            ))}
          </fieldset>
        ) : null}

        {/* Page choices (dimension, metric, columns) ride along when the form is submitted; the
            page number does not, as the filters submitted choose a list of their own (withValues). */}
        {[...params]
          .filter(([key]) => !isFilterKey(key, data) && key !== PAGE_KEY)
          .map(([key, value]) => (
            <input key={key} type="hidden" name={key} value={value} />
          ))}
        <button type="submit" className="apply-button">
          Apply
        </button>
      </Form>

      {data.problem ? (
        <p className="filter-problem" role="alert">
          The filter <code>{data.problem.parameter}</code> in this address was not understood (expected{' '}
          {data.problem.allowed}), so no filter is applied.{' '}
          <Link to={`${pathname}${searchString(withoutFilters(params))}`}>Clear the filters</Link>
        </p>
      ) : null}

      {data.notApplied ? (
        <p className="filter-problem" role="alert">
          The filter <code>{data.notApplied.parameter}</code> in this address is not applied (expected{' '}
          {data.notApplied.reason}); the other filters are.
        </p>
      ) : null}

      <div className="applied" aria-live="polite">
        <p>
          <strong>Showing:</strong>{' '}
          {data.outcomeControls ? (
            <>
              {INSTRUMENT_LABELS[data.instrument.value] ?? data.instrument.value}
              {data.instrument.automatic ? ' (picked by condition)' : ''}
              {data.applied.length === 0 ? '; all episodes, no filter applied.' : ''}
            </>
          ) : data.applied.length === 0 ? (
            'all episodes, no filter applied.'
          ) : null}
        </p>
        {data.applied.length > 0 ? (
          <>
            <ul className="applied-list">
              {data.applied.map(([label, values]) => (
                <li key={label}>
                  {label}: {values}
                </li>
              ))}
            </ul>
            <Link
              className="clear-filters"
              to={`${pathname}${searchString(withoutFilters(params))}`}
              preventScrollReset
            >
              Clear all filters
            </Link>
          </>
        ) : null}
      </div>
    </section>
  );
}

function isFilterKey(key: string, data: FilterBarData): boolean {
  return key === 'instrument' || key === 'from' || key === 'to' || data.lists.some((list) => list.key === key);
}
