import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema';

/**
 * Slows password guessing: after `limit` attempts for one account, or from one address, within
 * `windowMs`, further attempts are refused until the window has passed, whether or not the
 * password is right, and with the same answer for unknown accounts.
 *
 * Each attempt is counted before its password is verified, by one atomic upsert that returns the
 * counts after it: a check first and a count after verifying let 25 parallel guesses all pass a
 * limit of 5 before any was counted. A refused attempt gives its counts back, and a right password
 * its address's (clearing the account's), so what the limits bound is failed passwords.
 *
 * The counts live in the warehouse's `sign_in_throttle` table, not in this process, so several
 * app instances behind a load balancer enforce one limit together (docs/scaling.md), and a
 * restart does not wipe an attacker's record. Expired rows are pruned as attempts come in,
 * which bounds the table by the attempt rate over one window.
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

  /**
   * Counts an attempt for the account and the address, then says how many seconds to wait when
   * either count is now over its limit (the attempt must be refused), or 0 when it may go ahead.
   * A refused attempt gives both counts back: no password was tried, and retrying a locked
   * account must not use up the address's allowance (a clinic's staff may share one address).
   */
  async claimAttempt(db: Kysely<Database>, { account, address }: ThrottleKeys): Promise<number> {
    const now = this.now();
    const expired = sql<boolean>`sign_in_throttle.window_start_ms + ${this.options.windowMs} <= ${now}`;
    // Rows are always written account key first, then address key, so two attempts never wait
    // on each other's rows in opposite orders.
    const rows = await db
      .insertInto('sign_in_throttle')
      .values([accountKey(account), addressKey(address)].map((key) => ({ key, failures: 1, window_start_ms: now })))
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          // An attempt after the window has passed opens a new window of its own.
          failures: sql`case when ${expired} then 1 else sign_in_throttle.failures + 1 end`,
          window_start_ms: sql`case when ${expired} then ${now}::bigint else sign_in_throttle.window_start_ms end`,
        }),
      )
      .returning(['key', 'failures', sql<number>`window_start_ms::float8`.as('window_start')])
      .execute();
    await this.prune(db, now);
    const waits = rows.map((row) => {
      const limit = row.key.startsWith('account:') ? this.options.accountLimit : this.options.addressLimit;
      if (row.failures <= limit) return 0;
      return Math.max(1, Math.ceil((Number(row.window_start) + this.options.windowMs - now) / 1000));
    });
    const wait = Math.max(0, ...waits);
    if (wait > 0) {
      for (const row of rows) await this.giveBack(db, row.key, Number(row.window_start));
    }
    return wait;
  }

  /**
   * A right password clears the account's count and gives the address its attempt back (not the
   * whole count: one address may guess many accounts, and a success on one must not hide that).
   */
  async recordSuccess(db: Kysely<Database>, { account, address }: ThrottleKeys): Promise<void> {
    await db.deleteFrom('sign_in_throttle').where('key', '=', accountKey(account)).execute();
    await this.giveBack(db, addressKey(address));
  }

  /**
   * Takes one attempt off a key's count; with `windowStart`, only while that window is still the
   * row's (a window opened since holds none of this attempt). A count of one goes with its row
   * (counts are positive), a larger one loses one; deleting first means a row is never
   * decremented to one and then deleted with an attempt still in it.
   */
  private async giveBack(db: Kysely<Database>, key: string, windowStart?: number): Promise<void> {
    await db
      .deleteFrom('sign_in_throttle')
      .where('key', '=', key)
      .where('failures', '=', 1)
      .$if(windowStart !== undefined, (query) => query.where('window_start_ms', '=', windowStart!))
      .execute();
    await db
      .updateTable('sign_in_throttle')
      .set({ failures: sql`failures - 1` })
      .where('key', '=', key)
      .where('failures', '>', 1)
      .$if(windowStart !== undefined, (query) => query.where('window_start_ms', '=', windowStart!))
      .execute();
  }

  /**
   * Deletes rows whose window has passed. Rows another attempt holds right now are skipped (it is
   * renewing them anyway), so pruning never waits on, or deadlocks with, a concurrent attempt.
   */
  private async prune(db: Kysely<Database>, now: number): Promise<void> {
    await db
      .deleteFrom('sign_in_throttle')
      .where('key', 'in', (eb) =>
        eb
          .selectFrom('sign_in_throttle')
          .select('key')
          .where(sql<boolean>`window_start_ms + ${this.options.windowMs} <= ${now}`)
          .forUpdate()
          .skipLocked(),
      )
      .execute();
  }
}

const accountKey = (account: string) => `account:${account}`;
const addressKey = (address: string) => `address:${address}`;

/** The app's throttle: 5 failed attempts per account, 30 per address, per 15 minutes. */
export const signInThrottle = new SignInThrottle({
  accountLimit: 5,
  addressLimit: 30,
  windowMs: 15 * 60_000,
});
