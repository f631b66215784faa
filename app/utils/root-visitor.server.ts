import type { AppLoadContext } from '@remix-run/node';
import { ROLE_LABELS, type Role } from '../../db/access';
import { LOGIN_PATH, requireUser } from './auth.server';

/** What the page header shows about the person signed in; nothing more reaches the browser. */
export interface Visitor {
  name: string;
  role: Role;
  roleLabel: string;
}

/** Pages open without a session: only sign-in. */
const PUBLIC_PATHS = new Set([LOGIN_PATH]);

/**
 * The root loader's check: every document but the sign-in page needs a session, so a page route
 * that forgot its own check still does not render for a stranger.
 */
export async function requireSignedInVisitor(request: Request, context: AppLoadContext): Promise<Visitor | null> {
  if (PUBLIC_PATHS.has(new URL(request.url).pathname)) return null;
  const principal = await requireUser(request, context);
  return { name: principal.name, role: principal.role, roleLabel: ROLE_LABELS[principal.role] };
}
