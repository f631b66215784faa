import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../app/utils/csv';
import { expectTickLabelsInside } from './support/page-checks';
import { downloadText, expectAxeClean, smallWarehouseSession } from './support/small-warehouse';

/** Issue 6, staffing pages (leadership and up): open, filter, plan inputs in the URL, export, axe-core clean. */
describe('staffing pages', () => {
  const on = smallWarehouseSession('leadership', '/staffing/demand');

  test('demand: monthly new episodes with the trend beside the chart; a location filter narrows them', async () => {
    const { page, base } = on;
    await page.goto(`${base}/staffing/demand`);
    const table = page.getByRole('table', { name: /New episodes per month by modality \(all locations\)/ });
    await expect(table.isVisible()).resolves.toBe(true);
    const before = await table.innerText();
    await page.goto(`${base}/staffing/demand?location=Online`);
    expect(await page.getByRole('table', { name: /all locations/ }).innerText()).not.toBe(before);
    await expectAxeClean(page);
  });

  test('capacity: roster FTE by location and modality, sessions per FTE-week from the URL', async () => {
    const { page, base } = on;
    await page.goto(`${base}/staffing/capacity?spw=20`);
    await expect(page.getByText(/at 20 per FTE-week/).isVisible()).resolves.toBe(true);
    await expectAxeClean(page);
    // A value the server cannot use is named in an alert; the page and its files use 25.
    await page.goto(`${base}/staffing/capacity?spw=250`);
    const alert = page.getByRole('alert').filter({ hasText: 'spw=250' });
    await expect(alert.innerText()).resolves.toMatch(/a number of sessions from 1 to 60.*spw=25/);
    await expect(page.getByText(/at 25 per FTE-week/).isVisible()).resolves.toBe(true);
    const file = parseCsv(await downloadText(page, page.getByRole('link', { name: /Download CSV/ }).first()));
    expect(file.comments.join('\n')).toMatch(/Sessions per FTE-week: 25/);
    await expectAxeClean(page);
    // Caseload now: its table, the chart of it named for a screen reader, and its own file of the same rows.
    const caseload = page.getByRole('table', { name: /Caseload now by location and modality/ });
    const caseloadRows = await caseload.locator('tbody tr').count();
    expect(caseloadRows).toBeGreaterThan(0);
    const chartTitle = page.locator('figure.chart svg title', { hasText: 'Ongoing episodes per FTE by location' });
    await expect.poll(() => chartTitle.count()).toBe(1);
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Caseload now' }) });
    const caseloadFile = parseCsv(await downloadText(page, section.getByRole('link', { name: /Download CSV/ })));
    expect(caseloadFile.header).toEqual(['location', 'modality', 'ongoing', 'fte', 'ongoing_per_fte']);
    expect(caseloadFile.rows).toHaveLength(caseloadRows);
  });

  test.each(['/staffing/demand', '/staffing/capacity', '/staffing/plan'])(
    '%s: every tick label is drawn whole, inside its chart',
    async (pagePath) => {
      const { page, base } = on;
      await page.goto(`${base}${pagePath}`);
      await expectTickLabelsInside(page);
    },
  );

  test('plan: growth in the URL changes the FTE needed; the CSV holds the same rows', async () => {
    const { page, base } = on;
    await page.goto(`${base}/staffing/plan`);
    const table = page.getByRole('table', { name: /FTE needed against FTE available/ });
    const flat = await table.innerText();
    await page.goto(`${base}/staffing/plan?growth_IPT=50`);
    const grown = await page.getByRole('table', { name: /FTE needed against FTE available/ }).innerText();
    expect(grown).not.toBe(flat);
    const rows = await page
      .getByRole('table', { name: /FTE needed against FTE available/ })
      .locator('tbody tr')
      .count();
    const csv = parseCsv(await downloadText(page, page.getByRole('link', { name: /Download CSV/ })));
    expect(csv.rows).toHaveLength(rows);
    expect(csv.comments.join('\n')).toMatch(/IPT 50/);
    // The chart names each modality and location in type a reader can read, one under another
    // (thirty units side by side had been shrunk to a few pixels' type).
    const names = page.locator('figure.chart .recharts-yAxis .recharts-cartesian-axis-tick-value');
    const boxes = (await Promise.all((await names.all()).map((name) => name.boundingBox()))).map((box) => box!);
    expect(boxes.length).toBeGreaterThan(5);
    for (const [index, box] of boxes.entries()) {
      expect(box.height).toBeGreaterThanOrEqual(11);
      if (index > 0) expect(box.y).toBeGreaterThanOrEqual(boxes[index - 1]!.y + boxes[index - 1]!.height);
    }
    await expectAxeClean(page);
    // A growth the server cannot use is named in an alert; the plan and its file use 0.
    await page.goto(`${base}/staffing/plan?growth_IPT=400`);
    const alert = page.getByRole('alert').filter({ hasText: 'growth_IPT=400' });
    await expect(alert.innerText()).resolves.toMatch(/a percentage from -90 to 300.*growth_IPT=0/);
    await expect(page.getByRole('table', { name: /FTE needed against FTE available/ }).innerText()).resolves.toBe(flat);
    const file = parseCsv(await downloadText(page, page.getByRole('link', { name: /Download CSV/ })));
    expect(file.comments.join('\n')).toMatch(/IPT 0,/);
  });

  test('plan: weeks worked and missed appointments are labelled inputs the keyboard sets, in the URL and the CSV', async () => {
    const { page, base } = on;
    on.browserErrors.length = 0;
    await page.goto(`${base}/staffing/plan`);
    const table = () => page.getByRole('table', { name: /FTE needed against FTE available/ });
    const weeks = page.getByLabel('Weeks worked a year');
    const missed = page.getByLabel('Missed appointments take a slot');
    await expect(weeks.inputValue()).resolves.toBe('46');
    await expect(missed.isChecked()).resolves.toBe(true);
    expect(await weeks.getAttribute('min')).toBe('30');
    expect(await weeks.getAttribute('max')).toBe('52');
    const atDefaults = await table().innerText();

    // From sessions per FTE-week, Tab reaches the weeks, an arrow key sets them, Tab the box, Space unticks it.
    await page.getByLabel('Sessions per FTE-week worked').focus();
    await page.keyboard.press('Tab');
    await expect(weeks.evaluate((input) => input === document.activeElement)).resolves.toBe(true);
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('weeks') === '45'),
      page.keyboard.press('ArrowDown'),
    ]);
    // The address can change before React draws the new plan: wait for the lede that comes with it.
    await page.getByText(/attended and missed sessions over 45 weeks worked a year/).waitFor();
    await expect(table().innerText()).resolves.not.toBe(atDefaults);
    await page.keyboard.press('Tab');
    await expect(missed.evaluate((input) => input === document.activeElement)).resolves.toBe(true);
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('missed') === 'off' && url.searchParams.get('weeks') === '45'),
      page.keyboard.press('Space'),
    ]);
    await page.getByText(/mean attended sessions over 45 weeks worked a year/).waitFor();
    await expect(missed.isChecked()).resolves.toBe(false);
    const csv = parseCsv(await downloadText(page, page.getByRole('link', { name: /Download CSV/ })));
    const comments = csv.comments.join('\n');
    expect(comments).toMatch(/Weeks worked a year: 45/);
    expect(comments).toMatch(/Missed appointments take a slot: no/);
    await expectAxeClean(page);

    // Typing 44 sends no plan for the half-typed 4 (outside 30 to 52): only 44 is asked for.
    const asked: string[] = [];
    const record = (request: { url(): string }) => asked.push(new URL(request.url()).searchParams.get('weeks') ?? '');
    page.on('request', record);
    await weeks.fill('');
    await weeks.pressSequentially('4');
    await Promise.all([page.waitForURL((url) => url.searchParams.get('weeks') === '44'), weeks.pressSequentially('4')]);
    page.off('request', record);
    expect(asked).not.toContain('4');
    expect(asked).toContain('44');

    // A value the server cannot use is named beside the inputs; the plan keeps the default.
    await page.goto(`${base}/staffing/plan?weeks=60`);
    const alert = page.getByRole('alert').filter({ hasText: 'weeks=60' });
    await expect(alert.innerText()).resolves.toMatch(/a whole number of weeks from 30 to 52.*weeks=46/);
    await expect(page.getByLabel('Weeks worked a year').inputValue()).resolves.toBe('46');
    // Its file is the plan shown, at 46 weeks (the file itself refuses weeks=60).
    const fileOfDefault = parseCsv(await downloadText(page, page.getByRole('link', { name: /Download CSV/ })));
    expect(fileOfDefault.comments.join('\n')).toMatch(/Weeks worked a year: 46/);
    await expectAxeClean(page);
    // Hydrated without a mismatch or an error (a .server import is empty in the browser).
    expect(on.browserErrors).toEqual([]);
  });

  test('demand CSV: the rows and monthly figures, the filters in the file; leadership gets no episode links', async () => {
    const { page, base } = on;
    await page.goto(`${base}/staffing/demand?location=Online`);
    const table = page.getByRole('table', { name: /New episodes per month by modality \(all locations\)/ });
    const shown = await table
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell as HTMLElement).innerText.trim())),
      );
    const link = page.getByRole('link', {
      name: /Download CSV of New episodes per month by modality \(all locations\)/,
    });
    const csv = parseCsv(await downloadText(page, link));
    expect(csv.comments.join('\n')).toMatch(/Location: Online/);
    expect(csv.rows.map((row) => row[0])).toEqual(shown.map((cells) => cells[0]));
    // The months and the total, as the table prints them (a withheld month stays withheld).
    for (const [index, cells] of shown.entries()) {
      expect(csv.rows[index]!.slice(1, 14)).toEqual(cells.slice(1, 14).map((text) => text.replace(/,/g, '')));
    }
    await expectAxeClean(page);
    // The episode list is the quality team's: a leadership reader's Compare table links nowhere.
    await page.goto(`${base}/compare`);
    await expect(page.getByRole('table').first().isVisible()).resolves.toBe(true);
    expect(await page.locator('a[href^="/quality/episodes"]').count()).toBe(0);
  });
});
