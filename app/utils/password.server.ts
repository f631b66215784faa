import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * Passwords: argon2id with the library's defaults (19 MiB, 2 passes, 1 lane: OWASP's minimum
 * recommendation), so a stolen table costs an attacker memory, not just time.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verified against when no account matches, so an unknown email costs the same time as a wrong
// password and the answer's timing does not tell them apart.
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (passwordHash === undefined) {
    decoyHash ??= hash('decoy password that matches nothing');
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/** Why a new password is not acceptable, or null when it is. Length over rules (NIST SP 800-63B). */
export function passwordProblem(password: string, { email }: { email: string }): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) return 'Do not use your email address.';
  if (new Set(password).size < 4) return 'Use more than a few different characters.';
  return null;
}

// No 0/o, 1/l/i: one-time passwords are read off a terminal and typed.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A one-time password: 20 characters from 31 (about 99 bits) in groups of five. */
export function generateOneTimePassword(): string {
  const characters = Array.from({ length: 20 }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return [0, 5, 10, 15].map((start) => characters.slice(start, start + 5).join('')).join('-');
}
