import type { LoaderFunctionArgs } from '@remix-run/node';
import { Outlet, useRouteError } from '@remix-run/react';
import { rolesThatCan } from '../../db/access';
import { ErrorMessage } from '~/components/error-message';
import { SubNav } from '~/components/sub-nav';
import { requireUser } from '~/utils/auth.server';

/** Staffing by modality (leadership and up). Each page checks the role itself as well. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireUser(request, context, {
    roles: rolesThatCan('aggregate_views'),
    refusalRecordedByPage: true,
  });
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
      <SubNav label="Staffing" pages={PAGES} />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
