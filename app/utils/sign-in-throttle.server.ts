/**
 * Slows password guessing: after `limit` failed sign-ins for one account, or from one address,
 * within `windowMs`, further attempts are refused until the window has passed, whether or not
 * the password is right, and with the same answer for unknown accounts.
 *
 * In memory and bounded (the oldest keys go first beyond `maxKeys`), so it protects one server
 * process; several instances behind a load balancer would each count separately and need a shared
 * store (Redis, or a table) to enforce the limits together.
 */
export interface ThrottleOptions {
  accountLimit: number;
  addressLimit: number;
  windowMs: number;
  maxKeys: number;
  now?: () => number;
}

interface Counter {
  failures: number;
  windowStart: number;
}

export interface ThrottleKeys {
  account: string;
  address: string;
}

export class SignInThrottle {
  private readonly counters = new Map<string, Counter>();
  private readonly now: () => number;

  constructor(private readonly options: ThrottleOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Seconds to wait when the account or the address is throttled; 0 when an attempt may go ahead. */
  retryAfterSeconds({ account, address }: ThrottleKeys): number {
    const waits = [
      this.wait(`account:${account}`, this.options.accountLimit),
      this.wait(`address:${address}`, this.options.addressLimit),
    ];
    return Math.max(...waits);
  }

  recordFailure({ account, address }: ThrottleKeys): void {
    this.bump(`account:${account}`);
    this.bump(`address:${address}`);
  }

  /** A right password clears the account's count (not the address's: one address may guess many accounts). */
  recordSuccess({ account }: ThrottleKeys): void {
    this.counters.delete(`account:${account}`);
  }

  get size(): number {
    return this.counters.size;
  }

  private wait(key: string, limit: number): number {
    const counter = this.current(key);
    if (!counter || counter.failures < limit) return 0;
    return Math.ceil((counter.windowStart + this.options.windowMs - this.now()) / 1000);
  }

  private current(key: string): Counter | undefined {
    const counter = this.counters.get(key);
    if (counter && this.now() - counter.windowStart >= this.options.windowMs) {
      this.counters.delete(key);
      return undefined;
    }
    return counter;
  }

  private bump(key: string): void {
    const counter = this.current(key) ?? { failures: 0, windowStart: this.now() };
    counter.failures += 1;
    // Re-inserting moves the key to the end, so eviction takes the least recently failed first.
    this.counters.delete(key);
    this.counters.set(key, counter);
    while (this.counters.size > this.options.maxKeys) {
      this.counters.delete(this.counters.keys().next().value!);
    }
  }
}

/** The process's throttle: 5 failures per account, 30 per address, per 15 minutes. */
export const signInThrottle = new SignInThrottle({
  accountLimit: 5,
  addressLimit: 30,
  windowMs: 15 * 60_000,
  maxKeys: 10_000,
});
