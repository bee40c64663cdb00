import { describe, expect, it } from '@jest/globals';
import { evaluatePolicy } from '../src/policy/evaluate-policy.js';
import type { RouteAllow } from '../src/route-table/route-spec.js';

const caller = {
  roles: ['analyst', 'user'],
  scope: 'openid reports:read analyst user',
  email: 'Ada@Example.com',
  client_id: 'gatehouse-web',
};
const service = { roles: [], scope: 'reports:read', client_id: 'billing' };
/** An analyst's token for a client approved only for reports:read (issue 20, item 1). */
const narrow = { ...caller, scope: 'openid reports:read' };

describe('evaluatePolicy', () => {
  it.each<[string, RouteAllow | undefined, typeof caller | typeof service, string | true]>([
    ['no allow: any signed-in caller', undefined, caller, true],
    ['a role the caller has', { roles: ['admin', 'analyst'] }, caller, true],
    ['a role the caller lacks', { roles: ['admin'] }, caller, 'roles'],
    [
      'a role without its same-named scope (a narrow grant)',
      { roles: ['analyst'] },
      narrow,
      'roles',
    ],
    ['a scope the caller has', { scopes: ['reports:read'] }, caller, true],
    ['a scope the caller lacks', { scopes: ['reports:write'] }, caller, 'scopes'],
    ['the email, any case', { emails: ['ada@example.com'] }, caller, true],
    ['another email', { emails: ['bob@example.com'] }, caller, 'emails'],
    ["the email's domain, any case", { domains: ['example.com'] }, caller, true],
    ['a parent domain is not the domain', { domains: ['com'] }, caller, 'domains'],
    ['no email for a domain rule', { domains: ['example.com'] }, service, 'domains'],
    ['the client', { clients: ['billing'] }, service, true],
    ['another client', { clients: ['billing'] }, caller, 'clients'],
    [
      'all keys met',
      { roles: ['analyst'], scopes: ['reports:read'], domains: ['example.com'] },
      caller,
      true,
    ],
    ['one key of several unmet', { roles: ['analyst'], clients: ['billing'] }, caller, 'clients'],
  ])('when %s, then the decision is %s', (_what, allow, claims, expected) => {
    const decision = evaluatePolicy(allow, claims);
    if (expected === true) expect(decision.allowed).toBe(true);
    else expect(decision).toMatchObject({ allowed: false, rule: expected });
  });

  it('when a scope is missing, then the refusal names the scopes for the challenge', () => {
    expect(evaluatePolicy({ scopes: ['a', 'b'] }, caller)).toEqual({
      allowed: false,
      rule: 'scopes',
      reason: 'the a or b scope is required',
      scope: 'a b',
    });
  });

  it('when several keys allow, then the rule names them', () => {
    expect(evaluatePolicy({ roles: ['user'], emails: ['ada@example.com'] }, caller)).toEqual({
      allowed: true,
      rule: 'roles+emails',
    });
  });
});
