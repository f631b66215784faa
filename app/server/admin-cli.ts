/* eslint-disable no-restricted-imports -- app/server/ is the Node process around the Remix build; the browser bundle never includes it */
import { userInfo } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { type Role, ROLE_LABELS, ROLES } from '../../db/access';
import { openWarehouse, type Warehouse } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { CliFailure, runCli } from '../../etl/cli-main';
import { type Account, DuplicateEmail, findAccountForSignIn, listAccounts } from '../../db/queries/accounts';
import { listApiTokens } from '../../db/queries/api-tokens';
import { insertAuditEvent } from '../../db/queries/audit-events';
import { formatValueList, parseValueList } from '../../db/value-list';
import {
  AccountInputError,
  changeAccountAccess,
  createAccount,
  issueApiToken,
  resetPassword,
  revokeToken,
} from '../models/accounts.server';
import { parseTokenDays, TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from '../utils/token-lifetime';

/**
 * `npm run admin -- <command>`: accounts and API tokens from a terminal, for the first account
 * on a real database and for scripts. Passwords and tokens are printed once and stored only as
 * hashes; every change is recorded in the audit trail as done by "cli:<os user>".
 */
export function buildProgram({
  readStdin = readAllStdin,
  print = (line: string) => console.log(line),
}: { readStdin?: () => Promise<string>; print?: (line: string) => void } = {}): Command {
  const program = new Command('admin').description('therapy-outcomes accounts and API tokens').exitOverride();
  const roleOption = () =>
    new Option('--role <role>', `one of ${ROLES.join(', ')}`).choices(ROLES).makeOptionMandatory();
  const locationsOption = () =>
    new Option(
      '--locations <list>',
      'comma-separated locations (leadership and director only); default: all',
    ).argParser(parseList);

  program
    .command('create-user')
    .description('create an account; prints a one-time password to change at first sign-in')
    .requiredOption('--email <email>', 'the email the person signs in with')
    .addOption(roleOption())
    .addOption(locationsOption())
    .option('--name <name>', 'display name (default: the email)')
    .option('--password-stdin', 'read the password from standard input instead (no change required)', false)
    .action(
      async (options: { email: string; role: Role; locations?: string[]; name?: string; passwordStdin: boolean }) => {
        const password = options.passwordStdin ? await readPassword(readStdin) : undefined;
        await withWarehouse(async (warehouse) => {
          const { account, oneTimePassword } = await createAccount(warehouse.db, {
            email: options.email,
            displayName: options.name,
            role: options.role,
            locations: options.locations ?? null,
            password,
          });
          await audit(warehouse, 'account_created', `${account.email} as ${account.role}`);
          print(`created ${account.email} (${ROLE_LABELS[account.role]}, ${describeLocations(account.locations)})`);
          if (oneTimePassword)
            print(`one-time password (shown once; must be changed at first sign-in): ${oneTimePassword}`);
        });
      },
    );

  program
    .command('list-users')
    .description('list every account')
    .action(() =>
      withWarehouse(async (warehouse) => {
        const accounts = await listAccounts(warehouse.db);
        if (accounts.length === 0) print('no accounts');
        for (const account of accounts) print(describeAccount(account));
      }),
    );

  program
    .command('change-user')
    .description("change an account's role or locations (its sessions end)")
    .requiredOption('--email <email>', 'the account')
    .addOption(new Option('--role <role>', `one of ${ROLES.join(', ')}`).choices(ROLES))
    .addOption(locationsOption())
    .option('--all-locations', 'remove any location limit', false)
    .action(async (options: { email: string; role?: Role; locations?: string[]; allLocations: boolean }) =>
      withWarehouse(async (warehouse) => {
        const account = await requireAccount(warehouse, options.email);
        const changed = await changeAccountAccess(warehouse.db, {
          accountId: account.id,
          role: options.role,
          locations: options.allLocations ? null : options.locations,
        });
        await audit(
          warehouse,
          'account_changed',
          `${changed.email} now ${changed.role}, ${describeLocations(changed.locations)}`,
        );
        print(describeAccount(changed));
      }),
    );

  for (const [name, disabled] of [
    ['disable-user', true],
    ['enable-user', false],
  ] as const) {
    program
      .command(name)
      .description(
        disabled ? 'stop an account from signing in; its sessions end at once' : 'let a disabled account sign in again',
      )
      .requiredOption('--email <email>', 'the account')
      .action(async (options: { email: string }) =>
        withWarehouse(async (warehouse) => {
          const account = await requireAccount(warehouse, options.email);
          const changed = await changeAccountAccess(warehouse.db, { accountId: account.id, disabled });
          await audit(warehouse, 'account_changed', `${changed.email} ${disabled ? 'disabled' : 'enabled'}`);
          print(describeAccount(changed));
        }),
      );
  }

  program
    .command('reset-password')
    .description('give an account a new one-time password (its sessions end)')
    .requiredOption('--email <email>', 'the account')
    .option('--password-stdin', 'read the new password from standard input instead (no change required)', false)
    .action(async (options: { email: string; passwordStdin: boolean }) => {
      const password = options.passwordStdin ? await readPassword(readStdin) : undefined;
      await withWarehouse(async (warehouse) => {
        const account = await requireAccount(warehouse, options.email);
        const { oneTimePassword } = await resetPassword(warehouse.db, { accountId: account.id, password });
        await audit(warehouse, 'password_reset', account.email);
        print(`password of ${account.email} reset`);
        if (oneTimePassword)
          print(`one-time password (shown once; must be changed at first sign-in): ${oneTimePassword}`);
      });
    });

  program
    .command('create-token')
    .description('issue an API token; prints it once (only its hash is kept)')
    .requiredOption('--name <name>', 'what the token is for, e.g. "R quarterly report (J. Smith)"')
    .addOption(roleOption())
    .addOption(locationsOption())
    .option(
      '--expires-in-days <days>',
      `whole days until it stops working (1 to ${TOKEN_MAX_DAYS}; default ${TOKEN_DEFAULT_DAYS})`,
      parseTokenDays,
    )
    .action(async (options: { name: string; role: Role; locations?: string[]; expiresInDays?: number }) =>
      withWarehouse(async (warehouse) => {
        const { token, record } = await issueApiToken(warehouse.db, {
          name: options.name,
          role: options.role,
          locations: options.locations ?? null,
          createdBy: cliUser(),
          // Absent: issueApiToken's default.
          expiresInDays: options.expiresInDays,
        });
        await audit(warehouse, 'token_issued', `${record.name} (${record.prefix}…) as ${record.role}`);
        print(
          `token ${record.id} "${record.name}" (${ROLE_LABELS[record.role]}, ${describeLocations(record.locations)}), expires ${record.expiresAt.toISOString()}`,
        );
        print(`token (shown once; send as Authorization: Bearer <token>): ${token}`);
      }),
    );

  program
    .command('list-tokens')
    .description('list API tokens (never the tokens themselves)')
    .action(() =>
      withWarehouse(async (warehouse) => {
        const tokens = await listApiTokens(warehouse.db);
        if (tokens.length === 0) print('no tokens');
        for (const token of tokens) {
          print(
            `${token.id}  ${token.prefix}…  ${token.revoked ? 'REVOKED' : token.expired ? 'EXPIRED' : 'live   '}  ${token.role.padEnd(10)}  ${describeLocations(token.locations)}  "${token.name}"  created ${token.createdAt.toISOString()} by ${token.createdBy}  expires ${token.expiresAt.toISOString()}  last used ${token.lastUsedAt?.toISOString() ?? 'never'}`,
          );
        }
      }),
    );

  program
    .command('revoke-token')
    .description('revoke an API token at once')
    .requiredOption('--id <id>', 'the token id, or its shown prefix (tok_…)')
    .action(async (options: { id: string }) =>
      withWarehouse(async (warehouse) => {
        const revoked = await revokeToken(warehouse.db, { id: options.id.replace(/…$/, '') });
        await audit(warehouse, 'token_revoked', `${revoked.name} (${revoked.prefix}…)`);
        print(`revoked ${revoked.id} "${revoked.name}"`);
      }),
    );

  return program;
}

async function withWarehouse(work: (warehouse: Warehouse) => Promise<void>): Promise<void> {
  const warehouse = await openWarehouse();
  try {
    await migrateToLatest(warehouse.db);
    await work(warehouse);
  } catch (error) {
    if (error instanceof AccountInputError) throw new CliFailure(error.message);
    if (error instanceof DuplicateEmail) throw new CliFailure(error.message);
    throw error;
  } finally {
    await warehouse.close();
  }
}

async function requireAccount(warehouse: Warehouse, email: string): Promise<Account> {
  const found = await findAccountForSignIn(warehouse.db, { email });
  if (!found) throw new CliFailure(`no account with the email ${email}`);
  const { passwordHash: _hash, ...account } = found;
  return account;
}

function cliUser(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

function audit(warehouse: Warehouse, action: string, detail: string): Promise<void> {
  return insertAuditEvent(warehouse.db, {
    principalKind: 'system',
    principalId: null,
    principalName: cliUser(),
    role: null,
    action,
    route: 'npm run admin',
    filters: null,
    rows: null,
    status: null,
    clientAddress: null,
    detail,
  });
}

function describeLocations(locations: string[] | null): string {
  // Written as --locations takes them, so a name with a comma reads as one.
  return locations === null ? 'all locations' : `locations: ${formatValueList(locations)}`;
}

function describeAccount(account: Account): string {
  const state = account.disabled ? 'DISABLED' : account.mustChangePassword ? 'one-time password pending' : 'active';
  return `${account.email}  ${account.role.padEnd(10)}  ${describeLocations(account.locations)}  ${state}  last sign-in ${account.lastSignInAt?.toISOString() ?? 'never'}`;
}

/** A list as the address writes one (db/value-list.ts): `Evanston,Online`, `"Chicago, Loop",Online`. */
export function parseList(value: string): string[] {
  const { values, problem } = parseValueList(value);
  if (problem) throw new InvalidArgumentError(problem);
  if (values.length === 0) throw new InvalidArgumentError('a comma-separated list, such as Evanston,Online');
  return values;
}

async function readPassword(readStdin: () => Promise<string>): Promise<string> {
  // One line; the newline that `echo` or a here-string adds is not part of the password.
  const password = (await readStdin()).replace(/\r?\n$/, '');
  if (password.length === 0) throw new CliFailure('no password on standard input');
  return password;
}

async function readAllStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new CliFailure('--password-stdin reads a password piped in, e.g. from a secrets manager');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void runCli(buildProgram());
