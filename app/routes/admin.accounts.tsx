import { data } from '@remix-run/node';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { ROLE_LABELS, isRole, rolesThatCan } from '../../db/access';
import { AccessFields } from '~/components/access-fields';
import {
  AccountInputError,
  changeAccountAccess,
  createAccount,
  DuplicateEmail,
  loadAdminListing,
  resetPassword,
} from '~/models/accounts.server';
import { formText, readAccessFields } from '~/models/admin-forms.server';
import { recordAudit } from '~/utils/audit.server';
import { requireUser } from '~/utils/auth.server';
import { formatUtcMinute } from '~/utils/format';
import { askWarehouse } from '~/utils/warehouse.server';

export const meta: MetaFunction = () => [{ title: 'Accounts · Therapy outcomes' }];

const ADMINS = rolesThatCan('manage_accounts');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireUser(request, context, { roles: ADMINS });
  const { accounts, locations } = await loadAdminListing(context);
  await recordAudit(context, { principal, action: 'page_view', route: '/admin/accounts', rows: accounts.length });
  return { accounts, locations, me: principal.id };
}

type ActionResult = { ok: boolean; message: string; secret?: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await requireUser(request, context, { roles: ADMINS });
  const form = await request.formData();
  const intent = formText(form, 'intent');
  const accountId = formText(form, 'accountId');
  const audit = (action: 'account_created' | 'account_changed' | 'password_reset', detail: string) =>
    recordAudit(context, { principal, action, route: '/admin/accounts', detail });
  try {
    return await askWarehouse(context, async (db): Promise<ActionResult> => {
      if (intent === 'create') {
        const access = readAccessFields(form);
        if (!access.success) return { ok: false, message: 'Choose a role.' };
        const { account, oneTimePassword } = await createAccount(db, {
          email: formText(form, 'email'),
          displayName: formText(form, 'displayName'),
          role: access.data.role,
          locations: access.data.locations,
        });
        await audit('account_created', `${account.email} as ${account.role}`);
        return {
          ok: true,
          message: `Created ${account.email}. Give them this one-time password:`,
          secret: oneTimePassword!,
        };
      }
      if (accountId === principal.id)
        return { ok: false, message: 'Ask another administrator to change your own account.' };
      if (intent === 'change') {
        const access = readAccessFields(form);
        if (!access.success) return { ok: false, message: 'Choose a role.' };
        const account = await changeAccountAccess(db, { accountId, ...access.data });
        await audit('account_changed', `${account.email} now ${account.role}`);
        return {
          ok: true,
          message: `${account.email} is now ${ROLE_LABELS[account.role]}; their sessions have ended.`,
        };
      }
      if (intent === 'disable' || intent === 'enable') {
        const account = await changeAccountAccess(db, { accountId, disabled: intent === 'disable' });
        await audit('account_changed', `${account.email} ${intent}d`);
        return { ok: true, message: `${account.email} is ${intent}d.` };
      }
      if (intent === 'reset') {
        const { account, oneTimePassword } = await resetPassword(db, { accountId });
        await audit('password_reset', account.email);
        return { ok: true, message: `New one-time password for ${account.email}:`, secret: oneTimePassword! };
      }
      return { ok: false, message: 'Unknown request.' };
    });
  } catch (error) {
    if (!(error instanceof AccountInputError || error instanceof DuplicateEmail)) throw error;
    return data({ ok: false, message: error.message } as ActionResult, { status: 400 });
  }
}

export default function Accounts() {
  const { accounts, locations, me } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Accounts</h1>
      {result ? (
        <div role="status" className={result.ok ? 'notice' : 'form-error'}>
          <p>{result.message}</p>
          {result.secret ? <p className="one-time-secret">{result.secret}</p> : null}
          {result.secret ? (
            <p className="hint">It is shown this once. They choose their own at first sign-in.</p>
          ) : null}
        </div>
      ) : null}
      <section aria-labelledby="accounts-title">
        <h2 id="accounts-title">Who can sign in</h2>
        <div className="table-scroll">
          <table>
            <caption>{accounts.length} accounts, by email</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Locations</th>
                <th scope="col">State</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <tr key={account.id}>
                  <th scope="row">{account.email}</th>
                  <td>{isRole(account.role) ? ROLE_LABELS[account.role] : account.role}</td>
                  <td>{account.locations?.join(', ') ?? 'All'}</td>
                  <td>{account.disabled ? 'Disabled' : account.mustChangePassword ? 'One-time password' : 'Active'}</td>
                  <td>{account.lastSignInAt ? formatUtcMinute(account.lastSignInAt) : 'Never'}</td>
                  <td>{account.id === me ? 'You' : <AccountActions account={account} locations={locations} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="new-account-title">
        <h2 id="new-account-title">New account</h2>
        <Form method="post" className="stacked-form">
          <input type="hidden" name="intent" value="create" />
          <label htmlFor="new-email">Email</label>
          <input id="new-email" name="email" type="email" required autoComplete="off" />
          <label htmlFor="new-name">Name (optional)</label>
          <input id="new-name" name="displayName" type="text" autoComplete="off" />
          <AccessFields idPrefix="new" locations={locations} />
          <button type="submit">Create the account</button>
        </Form>
      </section>
    </>
  );
}

function AccountActions({
  account,
  locations,
}: {
  account: { id: string; email: string; role: string; locations: string[] | null; disabled: boolean };
  locations: string[];
}) {
  return (
    <details>
      <summary>
        Change <span className="visually-hidden">{account.email}</span>
      </summary>
      <Form method="post" className="stacked-form">
        <input type="hidden" name="intent" value="change" />
        <input type="hidden" name="accountId" value={account.id} />
        <AccessFields
          idPrefix={`change-${account.id}`}
          locations={locations}
          defaultRole={isRole(account.role) ? account.role : 'leadership'}
          defaultLocations={account.locations}
        />
        <button type="submit">Save role and locations</button>
      </Form>
      <Form method="post" className="inline-form">
        <input type="hidden" name="accountId" value={account.id} />
        <button type="submit" name="intent" value={account.disabled ? 'enable' : 'disable'} className="secondary">
          {account.disabled ? 'Enable' : 'Disable'}
        </button>{' '}
        <button type="submit" name="intent" value="reset" className="secondary">
          New one-time password
        </button>
      </Form>
    </details>
  );
}
