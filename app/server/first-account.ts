/* eslint-disable no-restricted-imports -- app/server/ is the Node process around the Remix build; the browser bundle never includes it */
import type { Warehouse } from '../../db/connection';
import { countAccounts } from '../../db/queries/accounts';
import { createAccount } from '../models/accounts.server';

export const FIRST_ADMIN_EMAIL = 'admin@localhost';

/**
 * On the embedded default's first run, one admin account with a random one-time password, printed
 * once here and never stored in clear, so `npm start` on a fresh clone can be signed into. There is
 * no default password: with a real database an administrator creates the first account with
 * `npm run admin -- create-user`, and the server says so.
 */
export async function ensureFirstAccount(
  warehouse: Warehouse,
  log: (message: string) => void = (message) => console.log(message),
): Promise<void> {
  if ((await countAccounts(warehouse.db)) > 0) return;
  if (warehouse.kind !== 'embedded') {
    log(
      'sign-in: no accounts yet; create the first with: npm run admin -- create-user --email you@example.org --role admin',
    );
    return;
  }
  const { oneTimePassword } = await createAccount(warehouse.db, {
    email: FIRST_ADMIN_EMAIL,
    displayName: 'Administrator',
    role: 'admin',
    locations: null,
  });
  log(
    [
      'sign-in: made the first administrator account. Its password is shown this once; you choose a new one at first sign-in.',
      `  email:    ${FIRST_ADMIN_EMAIL}`,
      `  password: ${oneTimePassword}`,
    ].join('\n'),
  );
}
