import type { LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet, useRouteError } from '@remix-run/react';
import { rolesThatCan } from '../../db/access';
import { ErrorMessage } from '~/components/error-message';
import { requireUser } from '~/utils/auth.server';

/** Staffing by modality (leadership and up). Each page checks the role itself as well. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireUser(request, context, { roles: rolesThatCan('aggregate_views') });
  return { viewer: { name: principal.name, role: principal.role } };
}

const PAGES = [
  { to: '/staffing/demand', label: 'Demand' },
  { to: '/staffing/capacity', label: 'Capacity' },
  { to: '/staffing/plan', label: 'Plan' },
];

export default function StaffingLayout() {
  return (
    <>
      <nav aria-label="Staffing" className="sub-nav">
        <ul>
          {PAGES.map((page) => (
            <li key={page.to}>
              <NavLink to={page.to} prefetch="intent">
                {page.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
