import { NavLink, useLocation, useMatches } from '@remix-run/react';
import { FILTER_KEYS, searchString } from '~/utils/filter-url';

/** Who is signed in, as the page loaders return it (`viewer`), for the navigation. */
export interface Viewer {
  name: string;
  role: string;
}

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
 * The site's navigation. It reads the signed-in viewer from the deepest page that returned one,
 * so the root needs no loader of its own; without a viewer (sign-in, error pages) it shows only
 * the links every role may follow. The page checks the role itself, the link list only spares a
 * reader a 403.
 */
export function SiteNav() {
  const matches = useMatches();
  const viewer = [...matches]
    .reverse()
    .map((match) => (match.data as { viewer?: Viewer } | undefined)?.viewer)
    .find(Boolean);
  // The filters travel from page to page; a page's own choices (dimension, metric) do not.
  const current = new URLSearchParams(useLocation().search);
  const filters = new URLSearchParams();
  for (const key of FILTER_KEYS) if (current.has(key)) filters.set(key, current.get(key)!);
  const items = NAV_ITEMS.filter((item) => !item.roles || (viewer && item.roles.includes(viewer.role as Role)));
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
      {viewer ? (
        <p className="viewer">
          {viewer.name} <span className="detail">({viewer.role})</span>
        </p>
      ) : null}
    </nav>
  );
}
