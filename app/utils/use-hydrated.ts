import { useEffect, useState } from 'react';

/**
 * False on the server and in the first browser render, true after: for a chart whose server
 * drawing the browser does not reproduce exactly (recharts measures label text in the browser
 * only), drawn after hydration instead; its numbers are in the table from the first paint.
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
