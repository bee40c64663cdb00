import { describe, expect, it } from '@jest/globals';
import { grantedScope } from '../../src/tokens/granted-scope.js';

describe('grantedScope: the one rule for a user token', () => {
  it.each([
    [
      'an admin approves a client registered for api:read',
      ['admin'],
      ['api:read'],
      undefined,
      'api:read',
      [],
    ],
    ['an admin approves the CLI for api', ['admin'], ['api'], 'api', 'api', []],
    [
      'an admin approves a client registered for admin and api',
      ['admin'],
      ['admin', 'api'],
      undefined,
      'admin api',
      ['admin'],
    ],
    [
      'a non-admin approves a client registered for admin and api',
      [],
      ['admin', 'api'],
      'admin api',
      'api',
      [],
    ],
    [
      'a client asks for a scope it is not registered for',
      ['admin'],
      ['api'],
      'admin api',
      'api',
      [],
    ],
    ['an admin grants a scope under admin', ['admin'], ['admin:read'], undefined, 'admin:read', []],
    [
      'a non-admin grants a scope under admin',
      ['ops'],
      ['admin:read', 'api'],
      undefined,
      'api',
      [],
    ],
    ['a scope under no held scope is asked for', [], ['billing:write'], undefined, '', []],
    ['a scope only starts like a held one', [], ['apix'], undefined, '', []],
  ])('when %s, then scope %p and roles %p', (_, roles, registered, requested, scope, granted) => {
    expect(grantedScope({ roles, registered, requested })).toEqual({ scope, roles: granted });
  });

  it('when the browser session (first-party) asks, then it gets api and one scope per role, and every role', () => {
    expect(grantedScope({ roles: ['auditor', 'admin'], registered: 'first-party' })).toEqual({
      scope: 'admin api auditor',
      roles: ['auditor', 'admin'],
    });
  });

  it('when a request repeats and spaces its scopes, then each is granted once, sorted', () => {
    expect(
      grantedScope({
        roles: [],
        registered: ['api:write', 'api:read'],
        requested: ' api:write  api:read api:write',
      }),
    ).toEqual({ scope: 'api:read api:write', roles: [] });
  });
});
