import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema';

/**
 * Slows password guessing: after `limit` failed sign-ins for one account, or from one address,
 * within `windowMs`, further attempts are refused until the window has passed, whether or not
 * the password is right, and with the same answer for unknown accounts.
 *
 * The counts live in the warehouse's `sign_in_throttle` table, not in this process, so several
 * app instances behind a load balancer enforce one limit together (docs/scaling.md), and a
 * restart does not wipe an attacker's record. Each failure is one atomic upsert, so concurrent
 * failures on different instances are all counted. Expired rows are pruned as failures come in,
 * which bounds the table by the failure rate over one window.
 */
export interface ThrottleOptions {
  accountLimit: number;
  addressLimit: number;
  windowMs: number;
  /** The clock the windows are judged on (epoch ms); tests move it by hand. */
  now?: () => number;
}

export interface ThrottleKeys {
  account: string;
  address: string;
}

export class SignInThrottle {
  private readonly now: () => number;

  constructor(private readonly options: ThrottleOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Seconds to wait when the account or the address is throttled; 0 when an attempt may go ahead. */
  async retryAfterSeconds(db: Kysely<Database>, { account, address }: ThrottleKeys): Promise<number> {
    const now = this.now();
    const rows = await db
      .selectFrom('sign_in_throttle')
      .select(['key', 'failures', sql<number>`window_start_ms::float8`.as('window_start')])
      .where('key', 'in', [accountKey(account), addressKey(address)])
      .execute();
    const waits = rows.map((row) => {
      const limit = row.key.startsWith('account:') ? this.options.accountLimit : this.options.addressLimit;
      const windowEnd = Number(row.window_start) + this.options.windowMs;
      if (row.failures < limit || windowEnd <= now) return 0;
      return Math.ceil((windowEnd - now) / 1000);
    });
    return Math.max(0, ...waits);
  }

  async recordFailure(db: Kysely<Database>, { account, address }: ThrottleKeys): Promise<void> {
    const now = this.now();
    const expired = sql<boolean>`sign_in_throttle.window_start_ms + ${this.options.windowMs} <= ${now}`;
    await db
      .insertInto('sign_in_throttle')
      .values([accountKey(account), addressKey(address)].map((key) => ({ key, failures: 1, window_start_ms: now })))
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          // A failure after the window has passed opens a new window of its own.
          failures: sql`case when ${expired} then 1 else sign_in_throttle.failures + 1 end`,
          window_start_ms: sql`case when ${expired} then ${now}::bigint else sign_in_throttle.window_start_ms end`,
        }),
      )
      .execute();
    await db
      .deleteFrom('sign_in_throttle')
      .where(sql<boolean>`window_start_ms + ${this.options.windowMs} <= ${now}`)
      .execute();
  }

  /** A right password clears the account's count (not the address's: one address may guess many accounts). */
  async recordSuccess(db: Kysely<Database>, { account }: ThrottleKeys): Promise<void> {
    await db.deleteFrom('sign_in_throttle').where('key', '=', accountKey(account)).execute();
  }
}

const accountKey = (account: string) => `account:${account}`;
const addressKey = (address: string) => `address:${address}`;

/** The app's throttle: 5 failures per account, 30 per address, per 15 minutes. */
export const signInThrottle = new SignInThrottle({
  accountLimit: 5,
  addressLimit: 30,
  windowMs: 15 * 60_000,
});
