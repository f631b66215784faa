import { useLocation, useNavigationType } from '@remix-run/react';
import { useEffect, useRef } from 'react';

/**
 * After a link or form takes the reader to another page in the browser (no full load), moves the
 * focus to the page's content (`<main id="main" tabIndex={-1}>`), as a full page load would start
 * there: otherwise the focus is left on the link that no longer exists, so a keyboard user starts
 * again from the top of the document and a screen reader says nothing of the new page. Only a new
 * path counts: a filter, sort or page of the same list changes the search string and leaves the
 * focus on the control that changed it. The scroll is left to ScrollRestoration.
 *
 * Back (or Forward) to a page returns the focus to the link last focused there, when the page
 * still has it: from a figure's episode list back to the figure, the reader is where they left.
 */
export function useFocusOnNewPage(): void {
  const { pathname, key } = useLocation();
  const navigationType = useNavigationType();
  const shown = useRef<string | null>(null);
  const current = useRef(key);
  /** The href of the link last focused on each page visited (by history entry). */
  const lastLink = useRef(new Map<string, string>());

  useEffect(() => {
    const remember = (event: FocusEvent) => {
      const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (link) lastLink.current.set(current.current, link.getAttribute('href')!);
    };
    document.addEventListener('focusin', remember);
    return () => document.removeEventListener('focusin', remember);
  }, []);

  useEffect(() => {
    current.current = key;
    const previous = shown.current;
    shown.current = pathname;
    if (previous === null || previous === pathname) return;
    const href = navigationType === 'POP' ? lastLink.current.get(key) : undefined;
    const main = document.getElementById('main');
    const link = href ? main?.querySelector<HTMLElement>(`a[href="${CSS.escape(href)}"]`) : null;
    (link ?? main)?.focus({ preventScroll: true });
  }, [pathname, key, navigationType]);
}
