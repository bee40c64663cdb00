import { describe, expect, it } from '@jest/globals';
import type { Context } from 'koa';
import { rememberSessionUser, takeSessionUser } from '../../src/sessions/session-user.js';
import type { DirectoryEntry } from '../../src/users/user-directory.js';

const ada = { id: 'u-ada', email: 'ada@example.com', disabled: false } as DirectoryEntry;
const request = () => ({}) as Context;

describe('the user read with the session', () => {
  it('when the session named the user, then the first look takes it and a second reads again', () => {
    const ctx = request();
    rememberSessionUser(ctx, 'u-ada', ada);
    expect(takeSessionUser(ctx, 'u-ada')).toEqual({ user: ada });
    expect(takeSessionUser(ctx, 'u-ada')).toBeUndefined();
  });

  it('when the user was not found with the session, then that absence is what is taken', () => {
    const ctx = request();
    rememberSessionUser(ctx, 'u-gone', undefined);
    expect(takeSessionUser(ctx, 'u-gone')).toEqual({ user: undefined });
  });

  it('when the session now names another user (a new sign-in), then nothing is taken', () => {
    const ctx = request();
    rememberSessionUser(ctx, 'u-ada', ada);
    expect(takeSessionUser(ctx, 'u-bob')).toBeUndefined();
    expect(takeSessionUser(ctx, 'u-ada')).toBeUndefined();
  });

  it('when the session is a pending sign-in or another request read it, then nothing is taken', () => {
    const pending = request();
    rememberSessionUser(pending, null, undefined);
    expect(takeSessionUser(pending, 'u-ada')).toBeUndefined();
    rememberSessionUser(request(), 'u-ada', ada);
    expect(takeSessionUser(request(), 'u-ada')).toBeUndefined();
  });
});
