import { useLocation } from '@remix-run/react';
import { useEffect, useRef } from 'react';

/**
 * After a link or form takes the reader to another page in the browser (no full load), moves the
 * focus to the page's content (`<main id="main" tabIndex={-1}>`), as a full page load would start
 * there: otherwise the focus is left on the link that no longer exists, so a keyboard user starts
 * again from the top of the document and a screen reader says nothing of the new page. Only a new
 * path counts: a filter, sort or page of the same list changes the search string and leaves the
 * focus on the control that changed it. The scroll is left to ScrollRestoration.
 */
export function useFocusOnNewPage(): void {
  const { pathname } = useLocation();
  const shown = useRef<string | null>(null);
  useEffect(() => {
    const previous = shown.current;
    shown.current = pathname;
    if (previous === null || previous === pathname) return;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [pathname]);
}
