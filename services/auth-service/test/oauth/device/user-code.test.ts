import { describe, expect, it } from '@jest/globals';
import {
  formatUserCode,
  generateUserCode,
  normalizeUserCode,
  USER_CODE_ALPHABET,
} from '../../../src/oauth/device/user-code.js';

describe('user codes', () => {
  it('when codes are drawn, then they are 8 letters of the RFC 8628 section 6.1 alphabet', () => {
    expect(USER_CODE_ALPHABET).toBe('BCDFGHJKLMNPQRSTVWXZ');
    const codes = Array.from({ length: 2000 }, generateUserCode);
    for (const code of codes) expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
    expect(new Set(codes.join('')).size).toBe(20); // every letter is used
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('when a person types a code in any case, with dashes or spaces, then it normalises to the stored form', () => {
    expect(formatUserCode('BCDFGHJK')).toBe('BCDF-GHJK');
    for (const typed of ['BCDF-GHJK', 'bcdf-ghjk', 'bcdfghjk', ' bcdf ghjk ', 'B-C-D-F-G-H-J-K']) {
      expect(normalizeUserCode(typed)).toBe('BCDFGHJK');
    }
  });

  it('when the input cannot be a code, then it is refused before any lookup', () => {
    for (const typed of ['BCDF-GHJ', 'BCDF-GHJKL', 'ABCD-EFGH', 'BCDF-GH0K', '', 42, undefined]) {
      expect(normalizeUserCode(typed)).toBeUndefined();
    }
    expect(normalizeUserCode('B'.repeat(40))).toBeUndefined();
  });
});
