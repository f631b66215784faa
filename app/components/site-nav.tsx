import { NavLink, useLocation } from '@remix-run/react';
import { onlyFilters, searchString } from '~/utils/filter-url';

type Role = 'leadership' | 'director' | 'quality' | 'admin';

/** The pages, in reading order; `roles` limits a link to the roles its page lets in. */
export const NAV_ITEMS: ReadonlyArray<{ to: string; label: string; roles?: readonly Role[] }> = [
  { to: '/', label: 'Overview' },
  { to: '/compare', label: 'Compare' },
  { to: '/treatment-length', label: 'Treatment length' },
  { to: '/locations', label: 'Locations', roles: ['director', 'quality', 'admin'] },
  { to: '/trends', label: 'Trends' },
  { to: '/staffing/demand', label: 'Staffing' },
  { to: '/quality/measurement', label: 'Quality', roles: ['quality', 'admin'] },
  { to: '/methods', label: 'Methods' },
];

/**
 * The site's navigation, for the signed-in person's role (the root loader's visitor). The page
 * checks the role itself; the link list only spares a reader a 403. The filters travel from
 * page to page; a page's own choices (dimension, metric, columns) do not.
 */
export function SiteNav({ role }: { role: string }) {
  const filters = onlyFilters(new URLSearchParams(useLocation().search));
  const items = NAV_ITEMS.filter((item) => !item.roles || item.roles.includes(role as Role));
  return (
    <nav aria-label="Main" className="site-nav">
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            <NavLink
              to={{ pathname: item.to, search: item.to === '/methods' ? '' : searchString(filters) }}
              end={item.to === '/'}
              prefetch="intent"
            >
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
