import { randomInt } from 'node:crypto';

/**
 * RFC 8628 section 6.1: 20 consonants, no vowels (no words) and no look-alikes (no 0/O, 1/I/L).
 * 8 characters give 20^8 (about 2^34.6) codes; with guesses rate limited that is ample.
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;

/** A fresh user code, normalised (8 letters, no dash). */
export function generateUserCode(): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i++) {
    code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  }
  return code;
}

/** `BCDFGHJK` → `BCDF-GHJK`: how a person reads and types it. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What a person typed, as the stored form: case, dashes and spaces ignored. Undefined when it
 * cannot be a user code (wrong length or a letter outside the alphabet), so a typo never
 * reaches the store.
 *
 * @example
 * normalizeUserCode('bcdf-ghjk'); // 'BCDFGHJK'
 */
export function normalizeUserCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 32) return undefined;
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== USER_CODE_LENGTH) return undefined;
  for (const ch of code) if (!USER_CODE_ALPHABET.includes(ch)) return undefined;
  return code;
}
