import { describe, expect, test } from 'vitest';
import { SignInThrottle } from '../../app/utils/sign-in-throttle.server';

/** A throttle on a hand-moved clock: 3 failures per account, 5 per address, per 10 minutes. */
function throttleAt(start = 1_000_000) {
  const clock = { now: start };
  const throttle = new SignInThrottle({
    accountLimit: 3,
    addressLimit: 5,
    windowMs: 10 * 60_000,
    maxKeys: 6,
    now: () => clock.now,
  });
  return { throttle, clock };
}

describe('sign-in throttle', () => {
  test('an account is refused after its third failure until the window from the first failure has passed', () => {
    const { throttle, clock } = throttleAt();
    const keys = { account: 'a@x.org', address: '10.0.0.1' };
    throttle.recordFailure(keys);
    clock.now += 60_000;
    throttle.recordFailure(keys);
    expect(throttle.retryAfterSeconds(keys)).toBe(0);
    throttle.recordFailure(keys);
    // First failure at t0; window 600 s; now t0 + 60 s: 540 s to wait.
    expect(throttle.retryAfterSeconds(keys)).toBe(540);
    clock.now += 539_000;
    expect(throttle.retryAfterSeconds(keys)).toBe(1);
    clock.now += 1_000;
    expect(throttle.retryAfterSeconds(keys)).toBe(0);
  });

  test('one address guessing many accounts is refused after its fifth failure, for every account', () => {
    const { throttle } = throttleAt();
    for (let index = 0; index < 5; index += 1) {
      throttle.recordFailure({ account: `user${index}@x.org`, address: '10.0.0.9' });
    }
    expect(throttle.retryAfterSeconds({ account: 'someone-new@x.org', address: '10.0.0.9' })).toBe(600);
    expect(throttle.retryAfterSeconds({ account: 'someone-new@x.org', address: '10.0.0.10' })).toBe(0);
  });

  test('an account under attack from many addresses is refused from a new address too', () => {
    const { throttle } = throttleAt();
    for (const address of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) throttle.recordFailure({ account: 'boss@x.org', address });
    expect(throttle.retryAfterSeconds({ account: 'boss@x.org', address: '4.4.4.4' })).toBeGreaterThan(0);
  });

  test("a right password clears the account's count but not the address's", () => {
    const { throttle } = throttleAt();
    const keys = { account: 'a@x.org', address: '10.0.0.1' };
    throttle.recordFailure(keys);
    throttle.recordFailure(keys);
    throttle.recordSuccess(keys);
    throttle.recordFailure(keys);
    throttle.recordFailure(keys);
    expect(throttle.retryAfterSeconds(keys)).toBe(0); // 2 since the success, limit 3
    throttle.recordFailure({ account: 'b@x.org', address: '10.0.0.1' });
    // The address has 5 failures in all.
    expect(throttle.retryAfterSeconds({ account: 'c@x.org', address: '10.0.0.1' })).toBe(600);
  });

  test('memory stays bounded: beyond maxKeys the least recently failed keys are forgotten first', () => {
    const { throttle } = throttleAt();
    for (let index = 0; index < 10; index += 1) {
      throttle.recordFailure({ account: `u${index}@x.org`, address: `10.0.0.${index}` });
    }
    expect(throttle.size).toBe(6);
  });
});
