import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { formatUtcMinute } from '~/utils/format';

/**
 * On paper only: when the page was printed (the figures' own date is in the page heading). Set in
 * the browser, and again just before printing, since a page may be printed long after it loaded.
 */
export function PrintedOn() {
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => {
    setNow(new Date());
    // The print layout is made right after this event: render the new date before it.
    const update = () => flushSync(() => setNow(new Date()));
    window.addEventListener('beforeprint', update);
    return () => window.removeEventListener('beforeprint', update);
  }, []);
  if (!now) return null;
  return <p className="print-only printed-on">Printed on {formatUtcMinute(now)}</p>;
}
