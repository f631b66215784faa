import { NavLink } from '@remix-run/react';

/** A section's own navigation (quality, staffing), under the site navigation. */
export function SubNav({ label, pages }: { label: string; pages: ReadonlyArray<{ to: string; label: string }> }) {
  return (
    <nav aria-label={label} className="sub-nav">
      <ul>
        {pages.map((page) => (
          <li key={page.to}>
            <NavLink to={page.to} prefetch="intent">
              {page.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
