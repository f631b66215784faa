import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../app/utils/csv';
import { signIn } from './support/accounts';
import { newPage } from './support/app-browser';
import { expectTickLabelsInside } from './support/page-checks';
import { downloadText, expectAxeClean, smallWarehouseSession } from './support/small-warehouse';

/** Issue 6, quality audit pages: open, filter, drill down, export, axe-core clean; roles. */
describe('quality pages', () => {
  const on = smallWarehouseSession('quality', '/quality/measurement');

  test('measurement: figures beside the chart, a filter changes URL and figures, axe clean', async () => {
    const { page, base } = on;
    await page.goto(`${base}/quality/measurement`);
    await expect(page.getByRole('heading', { level: 1, name: 'Measurement' }).isVisible()).resolves.toBe(true);
    const table = page.getByRole('table', { name: 'Measurement by location' });
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(1);
    const before = await table.innerText();
    await page.goto(`${base}/quality/measurement?modality=IPT`);
    expect(new URL(page.url()).searchParams.get('modality')).toBe('IPT');
    expect(await page.getByRole('table', { name: 'Measurement by location' }).innerText()).not.toBe(before);
    await expectAxeClean(page);
  });

  test('drill down from a count to the episode list, which says what it lists; export is a CSV of those rows', async () => {
    const { page, base } = on;
    await page.goto(`${base}/quality/measurement`);
    const link = page.getByRole('link', { name: /no final score: list the episodes/ }).first();
    const count = Number((await link.innerText()).replace(/[^0-9]/g, ''));
    await Promise.all([page.waitForURL(/\/quality\/episodes/), link.click()]);
    await expect(page.locator('.drill-summary').innerText()).resolves.toMatch(/without a final score/);
    await expect(page.getByText(`${count.toLocaleString('en-US')} episodes match.`).isVisible()).resolves.toBe(true);
    const csv = parseCsv(await downloadText(page, page.getByRole('link', { name: /Download CSV/ })));
    expect(csv.rows).toHaveLength(count);
    expect(csv.header).toContain('pseudonym');
    await expectAxeClean(page);
    // Back from the figure to every episode: the drill-down goes, the rest of the URL stays.
    await Promise.all([
      page.waitForURL((next) => !next.searchParams.has('metric')),
      page.getByRole('link', { name: 'List every episode instead' }).click(),
    ]);
    expect(new URL(page.url()).searchParams.has('side')).toBe(false);
    await expect.poll(() => page.locator('.drill-summary').count()).toBe(0);
  });

  test('measurement CSV: the rows and figures of the table beside it, withheld where the table says withheld', async () => {
    const { page, base } = on;
    await page.goto(`${base}/quality/measurement?modality=IPT,CBT`);
    const table = page.getByRole('table', { name: 'Measurement by location' });
    const shown = await table.locator('tbody tr').evaluateAll((rows) =>
      // A cell's figure, without a link's hidden words or a rate's interval beside it.
      rows.map((row) =>
        [...row.querySelectorAll('th, td')].map((cell) =>
          ((cell.querySelector('.figure') ?? cell) as HTMLElement).innerText.trim(),
        ),
      ),
    );
    const link = page.getByRole('link', { name: 'Download CSV of Measurement by location' });
    const csv = parseCsv(await downloadText(page, link));
    expect(csv.comments.join('\n')).toMatch(/Modality: IPT, CBT/);
    expect(csv.comments.join('\n')).toMatch(/Paired completeness target: 90%/);
    expect(csv.rows.map((row) => row[0])).toEqual(shown.map((cells) => cells[0]));
    const at = (name: string) => csv.header.indexOf(name);
    for (const [index, cells] of shown.entries()) {
      const row = csv.rows[index]!;
      // Episodes, finished and the no-final count as the table prints them (withheld stays withheld).
      expect(row[at('episodes')], cells[0]).toBe(cells[1]!.replace(/,/g, ''));
      expect(row[at('finished')], cells[0]).toBe(cells[2]!.replace(/,/g, ''));
      expect(row[at('no_final')], cells[0]).toBe(cells[6]!.replace(/,/g, ''));
    }
    await expectAxeClean(page);
  });

  test('compare: a rate links to the episodes it counts, and the list holds exactly that many', async () => {
    const { page, base } = on;
    await page.goto(`${base}/compare?metric=recovery`);
    const cell = page
      .locator('td[data-column="recovery"]')
      .filter({ has: page.locator('a') })
      .first();
    const detail = await cell.locator('.figure-detail').innerText();
    const count = Number(/([\d,]+)\/[\d,]+$/.exec(detail)![1]!.replace(/,/g, ''));
    expect(count).toBeGreaterThan(0);
    await Promise.all([page.waitForURL(/\/quality\/episodes\?/), cell.getByRole('link').click()]);
    expect(new URL(page.url()).searchParams.get('metric')).toBe('recovery');
    await expect(page.locator('.drill-summary').innerText()).resolves.toMatch(/Recovery/);
    await expect(page.getByText(`${count.toLocaleString('en-US')} episodes match.`).isVisible()).resolves.toBe(true);
    await expectAxeClean(page);
  });

  test('episode list: pages of the whole list sorted by the server, aria-sort, a text filter, column choice', async () => {
    const { page, base } = on;
    await page.goto(`${base}/quality/episodes`);
    const table = page.locator('.virtual-scroll table');
    const rendered = await table.locator('tbody tr[aria-rowindex]').count();
    const total = Number(await table.getAttribute('aria-rowcount')) - 1;
    // Every loaded episode (the demo files carry a few rows the ETL rejects on purpose), on pages of 2,000.
    const summary = await page.getByText(/episodes match\./).innerText();
    const matching = Number(/([\d,]+) episodes match/.exec(summary)![1]!.replace(/,/g, ''));
    expect(total).toBe(matching);
    expect(total).toBeGreaterThan(2900);
    expect(rendered).toBeLessThan(200);
    // The virtual list places rows by one fixed height: a cell that wrapped (the flags, squeezed
    // narrow) made its row three times as tall and threw every row after it out of place.
    const heights = await table
      .locator('tbody tr[aria-rowindex]')
      .evaluateAll((rows) => rows.map((row) => row.getBoundingClientRect().height));
    expect(Math.max(...heights) - Math.min(...heights), JSON.stringify(heights.slice(0, 20))).toBeLessThan(1);
    expect(Math.max(...heights)).toBeLessThan(40);
    await expect(page.getByText('Page 1 of 2').isVisible()).resolves.toBe(true);
    // Newest start first unless the reader chooses.
    await expect(page.getByRole('columnheader', { name: /Started/ }).getAttribute('aria-sort')).resolves.toBe(
      'descending',
    );
    const header = page.getByRole('columnheader', { name: /Wait \(days\)/ });
    const waits = async () => {
      const column = await page
        .locator('.virtual-scroll thead th')
        .evaluateAll((cells) => cells.findIndex((cell) => cell.textContent?.startsWith('Wait (days)')));
      const texts = await table.locator(`tbody tr[aria-rowindex] td:nth-child(${column + 1})`).allInnerTexts();
      return texts.map((text) => (text === 'not recorded' ? null : Number(text)));
    };
    // Numbers sort largest first on the first press, then flip; over the whole list, from its first page.
    await Promise.all([page.waitForURL(/sort=wait_days&dir=desc/), header.getByRole('link').click()]);
    // The URL changes as the navigation commits; the page renders just after: wait for it.
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    const firstPage = await waits();
    expect(firstPage[0]).not.toBeNull();
    expect(firstPage.filter((wait) => wait !== null)).toEqual(
      [...firstPage.filter((wait) => wait !== null)].sort((a, b) => b! - a!),
    );
    // The next page continues the same order: its first row is the 2,001st of the whole list.
    await Promise.all([page.waitForURL(/page=2/), page.getByRole('link', { name: 'Next 2,000' }).click()]);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('wait_days');
    await expect
      .poll(() => table.locator('tbody tr[aria-rowindex]').first().getAttribute('aria-rowindex'))
      .toBe('2002');
    const secondPage = await waits();
    expect(secondPage[0] === null || secondPage[0]! <= firstPage.at(-1)!).toBe(true);
    await Promise.all([page.waitForURL(/dir=asc/), header.getByRole('link').click()]);
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    expect(new URL(page.url()).searchParams.get('page')).toBeNull();
    const ascending = (await waits()).filter((wait) => wait !== null);
    expect(ascending).toEqual([...ascending].sort((a, b) => a! - b!));
    await page.getByLabel('Find in these rows').fill('Evanston');
    await expect(page.getByText(/rows match/).isVisible()).resolves.toBe(true);
    await page.getByText(/^Columns \(/).click();
    await page.getByLabel('Flags').uncheck();
    expect(await page.getByRole('columnheader', { name: 'Flags' }).count()).toBe(0);
    await expectAxeClean(page);
  });

  test('episode list: find episodes by the start of their pseudonym, over the whole list, keeping the filters', async () => {
    const { page, base } = on;
    await page.goto(`${base}/quality/episodes?modality=IPT`);
    const table = page.locator('.virtual-scroll table');
    const firstPseudonym = await table.locator('tbody tr[aria-rowindex] td').first().innerText();
    const prefix = firstPseudonym.slice(0, 3);
    await page.getByLabel('Find episodes by pseudonym').fill(prefix.toUpperCase());
    await Promise.all([page.waitForURL(/episode=/), page.getByRole('button', { name: 'Find' }).click()]);
    const url = new URL(page.url());
    expect(url.searchParams.get('modality')).toBe('IPT');
    await page.getByText(`Pseudonyms starting “${prefix}”`).waitFor();
    const found = await table.locator('tbody tr[aria-rowindex] td:first-child').allInnerTexts();
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((pseudonym) => pseudonym.startsWith(prefix))).toBe(true);
    const summary = await page.getByText(/episodes match\./).innerText();
    expect(Number(/([\d,]+) episodes match/.exec(summary)![1]!.replace(/,/g, ''))).toBe(found.length);
    await expectAxeClean(page);
    // Not a pseudonym's start: said so, and the list is not narrowed by it.
    await page.getByLabel('Find episodes by pseudonym').fill('xyz');
    await Promise.all([page.waitForURL(/episode=xyz/), page.getByRole('button', { name: 'Find' }).click()]);
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/cannot start a pseudonym/);
    await Promise.all([
      page.waitForURL((next) => !next.searchParams.has('episode')),
      page.getByRole('link', { name: 'Clear the search', exact: true }).click(),
    ]);
    expect(new URL(page.url()).searchParams.get('modality')).toBe('IPT');
    await expect.poll(() => page.getByLabel('Find episodes by pseudonym').inputValue()).toBe('');
  });

  test('episode list: a rare age band is shown as filtered, and what would single a person out reads withheld, in the page and its CSV', async () => {
    const { page, base } = on;
    // 90+ is the rarest band of the demo data: its people share little else, so their rows are
    // generalised (the age band is what the filter chose, so the other identifiers give way).
    await page.goto(`${base}/quality/episodes?age_band=90%2B&sort=pseudonym&dir=asc`);
    await page.getByText(/k-anonymity; see Methods/).waitFor();
    const table = page.locator('.virtual-scroll table');
    const headers = await table.locator('thead th').allInnerTexts();
    const column = (name: string) => headers.findIndex((header) => header.startsWith(name));
    const rows = await table
      .locator('tbody tr[aria-rowindex]')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((cells) => cells[column('Age band')] === '90+')).toBe(true);
    const withheldRows = rows.filter((cells) => cells.includes('withheld'));
    expect(withheldRows.length).toBeGreaterThan(0);
    const csv = parseCsv(await downloadText(page, page.getByRole('link', { name: /Download CSV/ })));
    const byPseudonym = new Map(csv.rows.map((cells) => [cells[csv.header.indexOf('pseudonym')], cells]));
    for (const cells of withheldRows) {
      const file = byPseudonym.get(cells[0])!;
      for (const name of ['condition', 'location', 'modality']) {
        const shown = cells[column(name[0]!.toUpperCase() + name.slice(1))];
        expect(file[csv.header.indexOf(name)], `${cells[0]} ${name}`).toBe(shown);
      }
    }
    await expectAxeClean(page);
  });

  test.each(['/quality/measurement', '/quality/safety', '/quality/access'])(
    '%s: every tick label is drawn whole, inside its chart',
    async (pagePath) => {
      const { page, base } = on;
      await page.goto(`${base}${pagePath}`);
      await expectTickLabelsInside(page);
    },
  );

  test('safety and access: funnel plots and wait figures with their tables, axe clean', async () => {
    const { page, base } = on;
    await page.goto(`${base}/quality/safety`);
    await expect(page.getByRole('table', { name: 'Early dropout by location' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('figure.chart svg').first().isVisible()).resolves.toBe(true);
    await expectAxeClean(page);
    await page.goto(`${base}/quality/access`);
    await expect(
      page.getByRole('table', { name: /Waits from referral to first session by location/ }).isVisible(),
    ).resolves.toBe(true);
    await expectAxeClean(page);
  });

  test('safety by clinician: the funnel plots place clinicians by pseudonym, the table and its file name them, axe clean', async () => {
    const { page, base } = on;
    await page.goto(`${base}/quality/safety`);
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('unit') === 'clinician'),
      page.getByLabel('Funnel plots by').selectOption('clinician'),
    ]);
    const table = page.getByRole('table', { name: 'Reliable deterioration by clinician' });
    await table.waitFor({ timeout: 15_000 });
    const names = await table.locator('tbody tr th, tbody tr td:first-child').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^[0-9a-f]{12}$/);
    // The locations stay, as a table, under the clinicians' funnel.
    await expect(page.getByRole('table', { name: 'Reliable deterioration by location' }).isVisible()).resolves.toBe(
      true,
    );
    await expect(page.locator('#funnel-reliable_deterioration-clinician').count()).resolves.toBe(1);
    await expectAxeClean(page);
  });

  test('safety: a funnel rate links to the episodes it counts, and the list holds exactly that many', async () => {
    const { page, base } = on;
    await page.goto(`${base}/quality/safety`);
    // The list holds the rate's "x of n" x.
    const rate = page
      .getByRole('table', { name: 'Early dropout by location' })
      .locator('tbody td')
      .filter({ has: page.locator('a') })
      .first();
    const count = Number(
      /([\d,]+) of [\d,]+$/.exec(await rate.locator('.figure-detail').innerText())![1]!.replace(/,/g, ''),
    );
    await Promise.all([page.waitForURL(/\/quality\/episodes\?/), rate.getByRole('link').click()]);
    expect(new URL(page.url()).searchParams.get('metric')).toBe('early_dropout');
    // The URL changes as the list's data arrives: wait for the list to draw rather than look once.
    await page.getByText(`${count.toLocaleString('en-US')} episodes match.`).waitFor({ timeout: 15_000 });
    await expectAxeClean(page);
  });

  test('by keyboard: a figure link lands the focus on the list it opens; a sort keeps it on the header; back returns to the link', async () => {
    const { page, base } = on;
    await page.goto(`${base}/quality/safety`);
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement;
        return element?.id || `${element?.tagName.toLowerCase()} ${element?.textContent?.trim().slice(0, 40)}`;
      });
    const rate = page.getByRole('table', { name: 'Early dropout by location' }).getByRole('link').first();
    const href = await rate.getAttribute('href');
    await rate.focus();
    await Promise.all([page.waitForURL(/\/quality\/episodes\?/), page.keyboard.press('Enter')]);
    await page.getByRole('heading', { level: 1, name: 'Episode list' }).waitFor();
    // The new page's content, where a full page load would start (not the body, nor a link gone).
    await expect.poll(focused).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.getElementById('main')!.contains(document.activeElement))).toBe(true);
    // Sorting the same list changes only its search string: the focus stays where it was.
    const header = page.getByRole('link', { name: /^Modality/ });
    await header.focus();
    await Promise.all([page.waitForURL(/sort=modality/), page.keyboard.press('Enter')]);
    await expect.poll(focused).toMatch(/^a Modality/);
    // Back past the sort to the Safety page: the focus is on the figure's link again, not at the top.
    await page.goBack();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Safety' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe(href);
  });

  test('at 320 CSS px (a 1,280 px window at 400% zoom) no page scrolls sideways: wide tables scroll in their box', async () => {
    const narrow = await newPage(on.browser, { viewport: { width: 320, height: 800 } });
    await signIn(narrow, on.base, 'quality', '/quality/safety');
    for (const path of ['/quality/safety', '/quality/measurement', '/quality/access', '/trends', '/compare']) {
      await narrow.goto(`${on.base}${path}`);
      await narrow.locator('.recharts-surface').first().waitFor();
      const widths = await narrow.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
      ]);
      expect(widths[0], path).toBeLessThanOrEqual(widths[1]!);
    }
    await narrow.context().close();
  });

  test('data loads: the run with its checksums, and its rejected rows', async () => {
    const { page, base } = on;
    await page.goto(`${base}/quality/data-loads`);
    await expect(page.locator('code.checksum').first().innerText()).resolves.toMatch(/^[0-9a-f]{64}$/);
    await expectAxeClean(page);
    const href = await page
      .getByRole('link', { name: /details/ })
      .first()
      .getAttribute('href');
    await page.goto(`${base}${href}`);
    await expect(page.locator('h1').first().innerText()).resolves.toMatch(/^Run \d+$/);
    await expectAxeClean(page);
  });

  test('audit trail: Older leads to the second page once hydrated, the wide table scrolls by keyboard, axe clean', async () => {
    const { page, base } = on;
    // Every download is a line of the trail: 55 of them make a second page of 50 lines.
    for (let index = 0; index < 55; index += 1) await page.request.get(`${base}/quality/access.csv`);
    on.browserErrors.length = 0;
    await page.goto(`${base}/audit`);
    const caption = page.locator('table caption');
    await expect(caption.innerText()).resolves.toMatch(/newest first; page 1 of [2-9]$/);
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('page') === '2'),
      page.getByRole('link', { name: 'Older' }).click(),
    ]);
    await expect.poll(() => caption.innerText()).toMatch(/newest first; page 2 of [2-9]$/);
    await expect(page.getByRole('link', { name: 'Newer' }).isVisible()).resolves.toBe(true);
    // The table is wider than the page: its scrolling region is named by the caption and takes the focus.
    const region = page.getByRole('region', { name: /lines, newest first/ });
    await expect(region.getAttribute('tabindex')).resolves.toBe('0');
    expect(on.browserErrors).toEqual([]);
    await expectAxeClean(page);
    // A page past the last, typed by hand: the last page, and a word that it is not the one asked for.
    await page.goto(`${base}/audit?page=999`);
    await expect(page.getByRole('status').innerText()).resolves.toMatch(/^There is no page 999: page [2-9], the last/);
    await expect(caption.innerText()).resolves.toMatch(/page ([2-9]) of \1$/);
    await expect(page.locator('table tbody tr').count()).resolves.toBeGreaterThan(0);
    expect(on.browserErrors).toEqual([]);
  });

  test('leadership and directors may not open the quality pages', async () => {
    const { base } = on;
    for (const role of ['leadership', 'director'] as const) {
      const other = await newPage(on.browser);
      await signIn(other, base, role);
      const response = await other.goto(`${base}/quality/episodes`);
      expect(response?.status()).toBe(403);
      for (const file of ['/quality/episodes.csv', '/quality/measurement.csv', '/quality/safety.csv?table=item9']) {
        expect((await other.request.get(`${base}${file}`)).status(), file).toBe(403);
      }
      await other.context().close();
    }
  });
});
