import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseOutcomeFilters } from '../../db/queries/outcome-query';
import { getOutcomeSums } from '../../db/queries/outcome-sums';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { formatValueList, parseValueList } from '../../db/value-list';
import { parseList } from '../../app/server/admin-cli';
import { drillDownHref } from '../../app/utils/drill-down';
import { canonicalParams, listValues, withValues } from '../../app/utils/filter-url';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { insertHandEpisodes } from '../support/hand-episodes';

/**
 * Lists in the address and the API are comma-separated; a site name may hold a comma, and is then
 * written in double quotes, a quote inside doubled, as a CSV field is (db/value-list.ts).
 * Until session 13 "Chicago, Loop" could not be chosen: every list split it into two sites.
 */

describe('the list syntax, worked by hand', () => {
  test.each([
    ['Evanston,Online', ['Evanston', 'Online']],
    [' Evanston , Online ,', ['Evanston', 'Online']],
    ['', []],
    [',,', []],
    ['"Chicago, Loop",Online', ['Chicago, Loop', 'Online']],
    ['Online, "Chicago, Loop"', ['Online', 'Chicago, Loop']],
    ['"The ""Annex"", East"', ['The "Annex", East']],
    ['The "Annex"', ['The "Annex"']],
    ['""', []],
    ['"Chicago, Loop" ,Online', ['Chicago, Loop', 'Online']],
  ])('%j reads as %j', (raw, values) => {
    expect(parseValueList(raw)).toEqual({ values });
  });

  test.each([
    ['"Chicago, Loop', 'the quote at character 1 is not closed'],
    ['Online,"Chicago, Loop', 'the quote at character 8 is not closed'],
    ['"Chicago" Loop,Online', 'character 11 follows a closing quote'],
  ])('%j is a problem naming where', (raw, where) => {
    const { problem } = parseValueList(raw);
    expect(problem).toBe(
      `values separated by commas, a value with a comma in it in double quotes ("Chicago, Loop"); ${where}`,
    );
  });

  test.each([
    [['Evanston', 'Online'], 'Evanston,Online'],
    [['Chicago, Loop', 'Online'], '"Chicago, Loop",Online'],
    [['The "Annex", East'], '"The ""Annex"", East"'],
    [['"Quoted" Site'], '"""Quoted"" Site"'],
    [['The "Annex"'], 'The "Annex"'],
  ])('%j is written %j', (values, written) => {
    expect(formatValueList(values)).toBe(written);
  });

  test('any list of site names is read back as written (fast-check)', () => {
    const name = fc
      .string({ unit: fc.constantFrom('a', 'B', ' ', ',', '"', '9', 'é'), minLength: 1, maxLength: 12 })
      .map((text) => text.trim())
      .filter((text) => text !== '');
    fc.assert(
      fc.property(fc.array(name, { maxLength: 5 }), (values) => {
        expect(parseValueList(formatValueList(values))).toEqual({ values });
      }),
      { numRuns: 500 },
    );
  });
});

describe('a site with a comma in the address', () => {
  test('a plain form sends each checkbox as its own value; the canonical address quotes the name', () => {
    // The filter bar's checkbox value is the name as the syntax writes it (formatListValue).
    const sent = new URLSearchParams([
      ['location', '"Chicago, Loop"'],
      ['location', 'Evanston'],
    ]);
    const canonical = canonicalParams(sent);
    expect(canonical.get('location')).toBe('"Chicago, Loop",Evanston');
    expect(listValues(canonical, 'location')).toEqual(['Chicago, Loop', 'Evanston']);
    const unticked = withValues(canonical, 'location', ['Chicago, Loop']);
    expect(listValues(unticked, 'location')).toEqual(['Chicago, Loop']);
  });

  test("a drill-down from that site's row lists that site", () => {
    const href = drillDownHref(new URLSearchParams('location=Evanston'), {
      metric: 'recovery',
      group: { location: 'Chicago, Loop' },
    });
    const params = new URL(href, 'http://localhost').searchParams;
    expect(listValues(params, 'location')).toEqual(['Chicago, Loop']);
  });

  test("the admin CLI's --locations reads it as one site, and refuses a list it cannot read", () => {
    expect(parseList('"Chicago, Loop",Online')).toEqual(['Chicago, Loop', 'Online']);
    expect(() => parseList('"Chicago, Loop')).toThrow(/the quote at character 1 is not closed/);
    expect(() => parseList(' , ')).toThrow(/a comma-separated list, such as Evanston,Online/);
  });

  test('the API and the pages parse it as one site, and name a list they cannot read', () => {
    const parsed = parseOutcomeFilters(new URLSearchParams('location="Chicago, Loop",Online'));
    expect(parsed.ok && parsed.filters.location).toEqual(['Chicago, Loop', 'Online']);
    expect(parseOutcomeFilters(new URLSearchParams('location="Chicago, Loop'))).toEqual({
      ok: false,
      parameter: 'location',
      allowed:
        'values separated by commas, a value with a comma in it in double quotes ("Chicago, Loop"); the quote at character 1 is not closed',
    });
  });
});

for (const kind of backends) {
  describe(`filtering on a site with a comma (${kind})`, () => {
    let warehouse: TestWarehouse;
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
      await insertHandEpisodes(warehouse, [
        { name: 'c0', location: 'Chicago, Loop' },
        { name: 'c1', location: 'Chicago, Loop' },
        { name: 'c2', location: 'Chicago, Loop' },
        { name: 'c3', location: 'Chicago' },
        { name: 'c4', location: 'Loop' },
        { name: 'c5', location: 'Online' },
      ]);
    });
    afterAll(() => warehouse?.dispose());

    const episodesAt = async (address: string) => {
      const parsed = parseOutcomeFilters(new URLSearchParams(address));
      if (!parsed.ok) throw new Error(parsed.allowed);
      const rows = await getOutcomeSums(warehouse.db, {
        filters: { ...NO_FILTERS, location: parsed.filters.location },
        scope: { locations: null, clinicianUnits: false },
      });
      return rows.map((row) => row.episodes);
    };

    test('the quoted name chooses its 3 episodes; unquoted it is the sites Chicago and Loop', async () => {
      expect(await episodesAt('location="Chicago, Loop"')).toEqual([3]);
      expect(await episodesAt('location="Chicago, Loop",Online')).toEqual([4]);
      expect(await episodesAt('location=Chicago, Loop')).toEqual([2]);
      expect(await episodesAt('location=Chicago')).toEqual([1]);
    });
  });
}
