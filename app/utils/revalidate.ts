import type { ShouldRevalidateFunction } from '@remix-run/react';

/**
 * Showing or hiding a table column changes the URL (so a link keeps it) but not the figures:
 * the page keeps its data instead of asking the server again.
 */
export const keepDataWhenOnlyColumnsChange: ShouldRevalidateFunction = ({
  currentUrl,
  nextUrl,
  formMethod,
  defaultShouldRevalidate,
}) => {
  if (formMethod || currentUrl.pathname !== nextUrl.pathname) return defaultShouldRevalidate;
  const withoutColumns = (url: URL) => {
    const params = new URLSearchParams(url.search);
    params.delete('columns');
    return params.toString();
  };
  return withoutColumns(currentUrl) === withoutColumns(nextUrl) ? false : defaultShouldRevalidate;
};
