import { describe, expect, test } from 'vitest';
import { parseOutcomeFilters } from '../../db/queries/outcome-query';
import {
  canonicalParams,
  canonicalRedirect,
  instrumentForConditions,
  resolveInstrument,
  withoutFilters,
  withValues,
} from '../../app/utils/filter-url';

const params = (search: string) => new URLSearchParams(search);

describe('canonical view URLs', () => {
  test('repeated keys from a plain form become one comma list in filter order, empties dropped', () => {
    const canonical = canonicalParams(
      params('location=Loop&modality=IPT&modality=CBT&instrument=&delivery=&location=Online'),
    );
    expect(canonical.toString()).toBe('modality=IPT%2CCBT&location=Loop%2COnline');
  });

  test('duplicates go, a single-value key keeps its last value, page keys follow the filters', () => {
    const canonical = canonicalParams(params('metric=response&modality=IPT,IPT&to=2025-06&to=2025-12&by=location'));
    expect([...canonical]).toEqual([
      ['modality', 'IPT'],
      ['to', '2025-12'],
      ['metric', 'response'],
      ['by', 'location'],
    ]);
  });

  test('a canonical URL needs no redirect; a messy one redirects to its canonical form', () => {
    expect(canonicalRedirect(new URL('http://x/compare?modality=IPT%2CCBT&by=location'))).toBeNull();
    expect(canonicalRedirect(new URL('http://x/compare'))).toBeNull();
    expect(canonicalRedirect(new URL('http://x/compare?'))).toBeNull();
    expect(canonicalRedirect(new URL('http://x/compare?by=location&modality=IPT&modality=CBT'))).toBe(
      '/compare?modality=IPT%2CCBT&by=location',
    );
  });

  test('round trip: what the filter bar writes, parseOutcomeFilters reads back as the same filters', () => {
    let view = new URLSearchParams();
    view = withValues(view, 'modality', ['IPT', 'IPSRT']);
    view = withValues(view, 'location', ['Lakeview (Belmont & Broadway)', 'Online']);
    view = withValues(view, 'length_band', ['13-16', '21+']);
    view = withValues(view, 'from', ['2025-01']);
    view = withValues(view, 'instrument', ['GAD-7']);
    const reread = new URLSearchParams(`?${view.toString()}`);
    const parsed = parseOutcomeFilters(reread);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.filters).toMatchObject({
      instrument: 'GAD-7',
      modality: ['IPT', 'IPSRT'],
      location: ['Lakeview (Belmont & Broadway)', 'Online'],
      length_band: ['13-16', '21+'],
      from: '2025-01',
      condition: [],
    });
    expect(canonicalParams(reread).toString()).toBe(view.toString());
  });

  test('removing the last value of a filter removes the key; clearing keeps the page choices', () => {
    const view = withValues(params('modality=IPT&by=location&columns=recovery'), 'modality', []);
    expect(view.has('modality')).toBe(false);
    const cleared = withoutFilters(
      params('modality=IPT&location=Loop&from=2025-01&instrument=GAD-7&by=location&metric=response'),
    );
    expect(cleared.toString()).toBe('by=location&metric=response');
  });

  test('a changed filter lists other episodes, so the episode list starts again at page 1; its order and drill-down stay', () => {
    // Page 5 of every episode (2,000 a page) is past the end of one location's list of 2,588.
    const onPage5 = params('metric=no_final&sort=wait_days&dir=asc&page=5');
    expect(withValues(onPage5, 'location', ['Evanston']).toString()).toBe(
      'location=Evanston&metric=no_final&sort=wait_days&dir=asc',
    );
    expect(withValues(params('location=Evanston&page=2'), 'location', []).toString()).toBe('');
    expect(withValues(params('instrument=GAD-7&page=3'), 'instrument', ['combined']).toString()).toBe(
      'instrument=combined',
    );
    expect(withoutFilters(params('modality=IPT&metric=item9&page=4')).toString()).toBe('metric=item9');
    // Choosing columns shows the same episodes: the page stays.
    expect(withValues(params('page=3'), 'columns', ['modality']).toString()).toBe('page=3&columns=modality');
  });
});

describe('the condition switch picks the instrument', () => {
  test('anxiety alone -> GAD-7; depression and anxiety -> combined; anything else -> PHQ-9', () => {
    expect(instrumentForConditions(['anxiety'])).toBe('GAD-7');
    expect(instrumentForConditions(['anxiety', 'depression'])).toBe('combined');
    expect(instrumentForConditions(['depression'])).toBe('PHQ-9');
    expect(instrumentForConditions([])).toBe('PHQ-9');
    expect(instrumentForConditions(['anxiety', 'bipolar'])).toBe('PHQ-9');
  });

  test('an instrument in the URL overrides the switch and says so', () => {
    expect(resolveInstrument(params('condition=anxiety'), ['anxiety'])).toEqual({
      instrument: 'GAD-7',
      automatic: true,
    });
    expect(resolveInstrument(params('condition=anxiety&instrument=PHQ-9'), ['anxiety'])).toEqual({
      instrument: 'PHQ-9',
      automatic: false,
    });
    expect(resolveInstrument(params('instrument=nonsense'), [])).toEqual({ instrument: 'PHQ-9', automatic: true });
  });
});
