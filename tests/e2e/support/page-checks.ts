import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Collects what `page` reports as errors (console.error, uncaught exceptions) into `errors`. */
export function recordBrowserErrors(page: Page, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
}

/**
 * A figure table's body as the reader sees it, a row of cell texts per row: the figure of a cell
 * ("52.3%" or "withheld"), without the interval and counts printed under it.
 */
export async function shownRows(table: Locator): Promise<string[][]> {
  return table
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll('th, td')].map(
          (cell) => cell.querySelector('.figure, .withheld')?.textContent ?? cell.textContent!,
        ),
      ),
    );
}

/**
 * The tick labels of every chart on `page` that fall outside their chart's drawing, by text: an
 * x-axis label at the right edge cut short ("2026-10" drawn as "2026-1") is a number misread.
 */
async function ticksOutsideTheirCharts(page: Page): Promise<string[]> {
  return page.locator('figure.chart svg.recharts-surface').evaluateAll((charts) =>
    charts.flatMap((chart) => {
      const frame = chart.getBoundingClientRect();
      return [...chart.querySelectorAll('.recharts-cartesian-axis-tick-value')]
        .filter((tick) => {
          const box = tick.getBoundingClientRect();
          return box.left < frame.left - 0.5 || box.right > frame.right + 0.5 || box.bottom > frame.bottom + 0.5;
        })
        .map((tick) => tick.textContent ?? '');
    }),
  );
}

/**
 * Every chart on `page` drawn (none left as a placeholder, at least one there), and each of their
 * tick labels whole inside its chart (ticksOutsideTheirCharts).
 */
export async function expectTickLabelsInside(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.chart-placeholder').count()).toBe(0);
  await expect(page.locator('figure.chart svg.recharts-surface').count()).resolves.toBeGreaterThan(0);
  await expect(ticksOutsideTheirCharts(page)).resolves.toEqual([]);
}
