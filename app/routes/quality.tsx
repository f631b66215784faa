import type { LoaderFunctionArgs } from '@remix-run/node';
import { Outlet, useRouteError } from '@remix-run/react';
import { rolesThatCan } from '../../db/access';
import { ErrorMessage } from '~/components/error-message';
import { SubNav } from '~/components/sub-nav';
import { requireUser } from '~/utils/auth.server';

/** The quality team's pages (quality and admin). Each page checks the role itself as well. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireUser(request, context, {
    roles: rolesThatCan('data_quality'),
    refusalRecordedByPage: true,
  });
  return { viewer: { name: principal.name, role: principal.role } };
}

const PAGES = [
  { to: '/quality/measurement', label: 'Measurement' },
  { to: '/quality/safety', label: 'Safety' },
  { to: '/quality/access', label: 'Access' },
  { to: '/quality/episodes', label: 'Episode list' },
  { to: '/quality/data-loads', label: 'Data loads' },
  { to: '/warehouse', label: 'Warehouse contents' },
];

export default function QualityLayout() {
  return (
    <>
      <SubNav label="Quality audit" pages={PAGES} />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
