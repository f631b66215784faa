import type { Browser, BrowserContext, Page } from 'playwright-core';

/**
 * Browser tests act only on hydrated pages. Until React has hydrated a server-rendered page, a
 * click or a key lands on HTML with no handler and is lost (on a loaded two-core machine that
 * window lasts seconds). app/root.tsx sets `data-hydrated` on <html> once the whole page has
 * hydrated; these helpers wait for it.
 *
 * `hydrationAware(browser)` (applied by launchChromium) makes every page of every context wait
 * for it after each document navigation: goto, reload, goBack, goForward and waitForURL resolve
 * only once the page they land on has hydrated. A response that is not a Remix document (CSV,
 * JSON, a plain-text error) has nothing to hydrate and is not waited for.
 */

/** How long a page may take to hydrate on a busy machine before the test fails. */
const HYDRATION_TIMEOUT_MS = 30_000;

/** Resolves once the Remix document in `page` has hydrated (at once for a non-Remix document). */
export async function waitForHydration(page: Page, timeout = HYDRATION_TIMEOUT_MS): Promise<void> {
  try {
    await page.waitForFunction(
      () => !('__remixContext' in window) || document.documentElement.dataset.hydrated === 'true',
      undefined,
      // Polled on a timer rather than animation frames, which a hidden headless page may not run.
      { polling: 100, timeout },
    );
  } catch (error) {
    throw new Error(`${page.url()} did not hydrate within ${timeout / 1000} s (data-hydrated on <html>)`, {
      cause: error,
    });
  }
}

const patched = new WeakSet<object>();

/** Every navigation of `page` that returns resolves after the page it reached has hydrated. */
export function hydrationAwarePage(page: Page): Page {
  if (patched.has(page)) return page;
  patched.add(page);
  const goto = page.goto.bind(page);
  const reload = page.reload.bind(page);
  const goBack = page.goBack.bind(page);
  const goForward = page.goForward.bind(page);
  const waitForURL = page.waitForURL.bind(page);
  const settled = async <T>(result: T): Promise<T> => {
    await waitForHydration(page);
    return result;
  };
  page.goto = async (...args) => settled(await goto(...args));
  page.reload = async (...args) => settled(await reload(...args));
  page.goBack = async (...args) => settled(await goBack(...args));
  page.goForward = async (...args) => settled(await goForward(...args));
  page.waitForURL = async (...args) => settled(await waitForURL(...args));
  return page;
}

/** Every page opened in `context` (newPage, popups) waits for hydration after navigating. */
export function hydrationAwareContext(context: BrowserContext): BrowserContext {
  if (patched.has(context)) return context;
  patched.add(context);
  context.pages().forEach(hydrationAwarePage);
  context.on('page', hydrationAwarePage);
  const newPage = context.newPage.bind(context);
  context.newPage = async () => hydrationAwarePage(await newPage());
  return context;
}

/** Every context and page of `browser` waits for hydration after navigating. */
export function hydrationAware(browser: Browser): Browser {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => hydrationAwareContext(await newContext(...args));
  // Browser.newPage opens a context of its own; the page is made aware here as well.
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (...args) => hydrationAwarePage(await newPage(...args));
  return browser;
}
