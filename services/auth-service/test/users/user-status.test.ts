import { describe, expect, it } from '@jest/globals';
import { USER_STATUS_TEXT, userStatus } from '../../src/users/user-status.js';

describe('userStatus', () => {
  it.each([
    [{ disabled: true, subject: null }, 'disabled'],
    [{ disabled: true, subject: 'google-1' }, 'disabled'],
    [{ disabled: false, subject: null }, 'not_signed_in'],
    [{ disabled: false, subject: 'google-1' }, 'active'],
  ] as const)('when the entry is %j, then it is %s', (entry, status) => {
    expect(userStatus(entry)).toBe(status);
  });

  it('when the CLI shows a registered entry, then it reads "not signed in yet"', () => {
    expect(USER_STATUS_TEXT.not_signed_in).toBe('not signed in yet');
  });
});
