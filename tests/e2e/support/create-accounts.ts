import { createAccount } from '../../../app/models/accounts.server';
import type { Role } from '../../../db/access';
import { openWarehouse } from '../../../db/connection';
import { migrateToLatest } from '../../../db/migrate';

/**
 * Reads [{ email, password, role, locations }] as JSON on stdin and creates those accounts in the
 * warehouse of DATA_DIR / DATABASE_URL, in one process (tests/e2e/support/accounts.ts).
 */
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const accounts = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Array<{
  email: string;
  password: string;
  role: Role;
  locations: string[] | null;
}>;
const warehouse = await openWarehouse();
try {
  await migrateToLatest(warehouse.db);
  for (const account of accounts) await createAccount(warehouse.db, account);
  console.log(`test accounts: ${accounts.map((account) => account.email).join(', ')}`);
} finally {
  await warehouse.close();
}
