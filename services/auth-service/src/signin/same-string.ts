import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings in time that does not depend on where they differ, for values an
 * attacker guesses at (the sign-in `state`, the id_token `nonce`). Only the length leaks.
 *
 * @example
 * if (!sameString(query.state, pending.state)) throw ...;
 */
export function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
