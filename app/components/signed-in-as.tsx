import { Form, Link } from '@remix-run/react';
import type { Visitor } from '~/utils/root-visitor.server';

/** The header's account corner: who is signed in, in which role, and the way out. */
export function SignedInAs({ visitor }: { visitor: Visitor }) {
  return (
    <div className="signed-in-as">
      <p>
        <span className="visually-hidden">Signed in as </span>
        <Link to="/account/password" title="Change your password">
          {visitor.name}
        </Link>{' '}
        <span className="role-badge">{visitor.roleLabel}</span>
      </p>
      <Form method="post" action="/logout" reloadDocument>
        <button type="submit" className="link-button">
          Sign out
        </button>
      </Form>
    </div>
  );
}
