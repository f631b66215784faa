import type { Locator, Page } from 'playwright-core';

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
