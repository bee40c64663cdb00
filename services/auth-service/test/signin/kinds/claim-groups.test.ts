import { describe, expect, it } from '@jest/globals';
import { claimGroups } from '../../../src/signin/kinds/claim-groups.js';

describe('claimGroups', () => {
  it('when the claim is an array of strings (Okta, Keycloak, Entra), then each entry is a group', () => {
    expect(claimGroups({ groups: ['eng-admins', 'analysts'] }, 'groups')).toEqual({
      groups: ['eng-admins', 'analysts'],
      odd: undefined,
    });
  });

  it('when the array repeats a value, then the group appears once', () => {
    expect(claimGroups({ roles: ['a', 'b', 'a'] }, 'roles').groups).toEqual(['a', 'b']);
  });

  it('when the claim is a single string, then it is one group, never split on spaces or commas', () => {
    expect(claimGroups({ groups: 'Eng Admins' }, 'groups')).toEqual({
      groups: ['Eng Admins'],
      odd: undefined,
    });
    expect(claimGroups({ role: 'CN=admins,OU=groups' }, 'role').groups).toEqual([
      'CN=admins,OU=groups',
    ]);
  });

  it('when the claim is absent, null or an empty string, then no groups and nothing odd', () => {
    expect(claimGroups({}, 'groups')).toEqual({ groups: [], odd: undefined });
    expect(claimGroups({ groups: null }, 'groups')).toEqual({ groups: [], odd: undefined });
    expect(claimGroups({ groups: '' }, 'groups')).toEqual({ groups: [], odd: undefined });
    expect(claimGroups({ groups: [] }, 'groups')).toEqual({ groups: [], odd: undefined });
  });

  it('when the array holds other things than strings, then only the strings count and it is odd', () => {
    expect(claimGroups({ groups: ['eng', 7, null, { id: 'x' }, '', ['ops']] }, 'groups')).toEqual({
      groups: ['eng'],
      odd: 'not_strings',
    });
  });

  it('when the claim is a number, boolean or object, then no groups and it is unsupported', () => {
    for (const value of [42, true, { admin: {} }]) {
      expect(claimGroups({ groups: value }, 'groups')).toEqual({ groups: [], odd: 'unsupported' });
    }
  });

  it('when Entra replaces groups by an overage pointer, then no groups and it says overage', () => {
    const claims = {
      _claim_names: { groups: 'src1' },
      _claim_sources: {
        src1: { endpoint: 'https://graph.microsoft.com/v1.0/users/x/getMemberObjects' },
      },
    };
    expect(claimGroups(claims, 'groups')).toEqual({ groups: [], odd: 'overage' });
  });

  it('when the claim name is a dotted path absent at the top (Keycloak realm roles), then it is read nested', () => {
    const claims = { realm_access: { roles: ['admin', 'offline_access'] } };
    expect(claimGroups(claims, 'realm_access.roles').groups).toEqual(['admin', 'offline_access']);
  });

  it('when a top-level claim has the dotted name, then it wins over the path', () => {
    const claims = {
      'https://example.com/groups': ['top'],
      'https://example': { com: { groups: ['nested'] } },
    };
    expect(claimGroups(claims, 'https://example.com/groups').groups).toEqual(['top']);
  });

  it('when the path runs through something other than an object, then no groups', () => {
    expect(claimGroups({ realm_access: 'x' }, 'realm_access.roles')).toEqual({
      groups: [],
      odd: undefined,
    });
    expect(claimGroups({}, '__proto__.constructor')).toEqual({ groups: [], odd: undefined });
  });
});
