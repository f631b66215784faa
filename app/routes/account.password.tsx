import { data, redirect } from '@remix-run/node';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { changeOwnPassword } from '~/models/sign-in.server';
import { requireUser, safeRedirectPath } from '~/utils/auth.server';
import { PASSWORD_MIN_LENGTH } from '~/utils/password.server';
import { readSession } from '~/utils/session.server';

export const meta: MetaFunction = () => [{ title: 'Change your password · Therapy outcomes' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  const state = await readSession(request, context);
  return {
    mustChange: state.status === 'live' && state.account.mustChangePassword,
    redirectTo: safeRedirectPath(new URL(request.url).searchParams.get('redirectTo')),
    minLength: PASSWORD_MIN_LENGTH,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await requireUser(request, context);
  const form = await request.formData();
  const result = await changeOwnPassword(request, context, {
    principal,
    currentPassword: String(form.get('currentPassword') ?? ''),
    newPassword: String(form.get('newPassword') ?? ''),
    confirmation: String(form.get('confirmation') ?? ''),
  });
  if (!result.ok) return data({ field: result.field, error: result.message }, { status: result.status });
  return redirect(safeRedirectPath(form.get('redirectTo')), { headers: { 'Set-Cookie': result.setCookie } });
}

type Field = 'current' | 'new' | 'confirmation';

export default function ChangePassword() {
  const { mustChange, redirectTo, minLength } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const error = (field: Field) => (actionData?.field === field ? actionData.error : null);
  return (
    <section aria-labelledby="password-title">
      <h1 id="password-title">{mustChange ? 'Choose your own password' : 'Change your password'}</h1>
      {mustChange ? (
        <p className="lede">You signed in with a one-time password. Choose a password of your own before you go on.</p>
      ) : null}
      <Form method="post" className="stacked-form">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <PasswordField
          name="currentPassword"
          field="current"
          label={mustChange ? 'One-time password' : 'Current password'}
          autoComplete="current-password"
          error={error('current')}
        />
        <PasswordField
          name="newPassword"
          field="new"
          label="New password"
          autoComplete="new-password"
          minLength={minLength}
          hint={`At least ${minLength} characters. A few unrelated words make a good one.`}
          error={error('new')}
        />
        <PasswordField
          name="confirmation"
          field="confirmation"
          label="New password again"
          autoComplete="new-password"
          error={error('confirmation')}
        />
        <button type="submit" disabled={navigation.state === 'submitting'}>
          Save the new password
        </button>
      </Form>
    </section>
  );
}

/** A labelled password input with its hint and its error, both tied to it for screen readers. */
function PasswordField({
  name,
  field,
  label,
  autoComplete,
  minLength,
  hint,
  error,
}: {
  name: string;
  field: Field;
  label: string;
  autoComplete: string;
  minLength?: number;
  hint?: string;
  error: string | null;
}) {
  const describedBy = [error ? `${field}-error` : null, hint ? `${field}-hint` : null].filter(Boolean).join(' ');
  return (
    <>
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        name={name}
        type="password"
        autoComplete={autoComplete}
        required
        minLength={minLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {hint ? (
        <p className="hint" id={`${field}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert" id={`${field}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}
