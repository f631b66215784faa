import { data } from '@remix-run/node';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { ROLE_LABELS, rolesThatCan } from '../../db/access';
import { AccessFields } from '~/components/access-fields';
import { AccountInputError, issueApiToken, loadAdminListing, revokeToken } from '~/models/accounts.server';
import { formText, readAccessFields } from '~/models/admin-forms.server';
import { recordAudit } from '~/utils/audit.server';
import { requireUser } from '~/utils/auth.server';
import { formatUtcMinute } from '~/utils/format';
import { parseTokenDays, TOKEN_DEFAULT_DAYS, TOKEN_LIFETIMES } from '~/utils/token-lifetime';
import { askWarehouse } from '~/utils/warehouse.server';

export const meta: MetaFunction = () => [{ title: 'API tokens · Therapy outcomes' }];

const ADMINS = rolesThatCan('manage_accounts');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireUser(request, context, { roles: ADMINS });
  const { tokens, locations } = await loadAdminListing(context);
  await recordAudit(context, { principal, action: 'page_view', route: '/admin/tokens', rows: tokens.length });
  return { tokens, locations };
}

type ActionResult = { ok: boolean; message: string; secret?: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await requireUser(request, context, { roles: ADMINS });
  const form = await request.formData();
  const intent = formText(form, 'intent');
  try {
    return await askWarehouse(context, async (db): Promise<ActionResult> => {
      if (intent === 'issue') {
        const access = readAccessFields(form);
        if (!access.success) return { ok: false, message: 'Choose a role.' };
        const days = form.get('expiresInDays');
        const { token, record } = await issueApiToken(db, {
          name: formText(form, 'name', 100),
          ...access.data,
          createdBy: principal.name,
          // Absent (a client without the field): the default.
          expiresInDays: days === null ? undefined : parseTokenDays(String(days)),
        });
        await recordAudit(context, {
          principal,
          action: 'token_issued',
          route: '/admin/tokens',
          detail: `${record.name} (${record.prefix}…) as ${record.role}, expires ${record.expiresAt.toISOString()}`,
        });
        return {
          ok: true,
          message: `Issued "${record.name}", working until ${formatUtcMinute(record.expiresAt)}. Copy the token now:`,
          secret: token,
        };
      }
      if (intent === 'revoke') {
        const revoked = await revokeToken(db, { id: formText(form, 'tokenId') });
        await recordAudit(context, {
          principal,
          action: 'token_revoked',
          route: '/admin/tokens',
          detail: `${revoked.name} (${revoked.prefix}…)`,
        });
        return { ok: true, message: `Revoked "${revoked.name}". It stops working at once.` };
      }
      return { ok: false, message: 'Unknown request.' };
    });
  } catch (error) {
    if (!(error instanceof AccountInputError)) throw error;
    return data({ ok: false, message: error.message } as ActionResult, { status: 400 });
  }
}

export default function Tokens() {
  const { tokens, locations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>API tokens</h1>
      <p className="lede">
        For analysts who pull figures into R or Excel: requests send <code>Authorization: Bearer &lt;token&gt;</code>. A
        token is bound by its role and locations exactly like a person.
      </p>
      {result ? (
        <div role="status" className={result.ok ? 'notice' : 'form-error'}>
          <p>{result.message}</p>
          {result.secret ? <p className="one-time-secret">{result.secret}</p> : null}
          {result.secret ? <p className="hint">It is shown this once; only its hash is kept.</p> : null}
        </div>
      ) : null}
      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title">Tokens</h2>
        <div className="table-scroll">
          <table>
            <caption>{tokens.length} tokens, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Role</th>
                <th scope="col">Locations</th>
                <th scope="col">Issued</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <th scope="row">{token.name}</th>
                  <td>
                    <code>{token.prefix}…</code>
                  </td>
                  <td>{ROLE_LABELS[token.role]}</td>
                  <td>{token.locations?.join(', ') ?? 'All'}</td>
                  <td>
                    {formatUtcMinute(token.createdAt)} by {token.createdBy}
                  </td>
                  <td>{formatUtcMinute(token.expiresAt)}</td>
                  <td>{token.lastUsedAt ? formatUtcMinute(token.lastUsedAt) : 'Never'}</td>
                  <td>
                    {token.revoked ? (
                      'Revoked'
                    ) : token.expired ? (
                      'Expired'
                    ) : (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="tokenId" value={token.id} />
                        <button type="submit" name="intent" value="revoke" className="secondary">
                          Revoke <span className="visually-hidden">{token.name}</span>
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="new-token-title">
        <h2 id="new-token-title">New token</h2>
        <Form method="post" className="stacked-form">
          <input type="hidden" name="intent" value="issue" />
          <label htmlFor="token-name">What it is for</label>
          <input id="token-name" name="name" type="text" required maxLength={100} autoComplete="off" />
          <AccessFields idPrefix="token" locations={locations} />
          <label htmlFor="token-expires">How long it works</label>
          <select id="token-expires" name="expiresInDays" defaultValue={String(TOKEN_DEFAULT_DAYS)}>
            {TOKEN_LIFETIMES.map((days) => (
              <option key={days} value={days}>
                {days} days
              </option>
            ))}
          </select>
          <button type="submit">Issue the token</button>
        </Form>
      </section>
    </>
  );
}
