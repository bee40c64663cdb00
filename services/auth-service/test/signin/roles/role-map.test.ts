import { describe, expect, it } from '@jest/globals';
import { groupCaseFor, mapRoles, parseRoleMap } from '../../../src/signin/roles/role-map.js';

/** Parses and returns the map with every problem reported. */
function parse(value: string | undefined, options?: { groupCase?: 'exact' | 'lower' }) {
  const problems: string[] = [];
  const map = parseRoleMap('OKTA_ROLE_MAP', value, (m) => problems.push(m), options);
  return { map, problems };
}

describe('parseRoleMap', () => {
  it('when entries are group:role, then each group maps to its roles', () => {
    const { map, problems } = parse('eng-admins:admin,analysts:analyst');
    expect(problems).toEqual([]);
    expect([...map]).toEqual([
      ['eng-admins', ['admin']],
      ['analysts', ['analyst']],
    ]);
  });

  it('when a group is repeated, then it maps to every role named, once each', () => {
    const { map, problems } = parse('eng:admin,eng:analyst,eng:admin');
    expect(problems).toEqual([]);
    expect(map.get('eng')).toEqual(['admin', 'analyst']);
  });

  it('when the value is unset or empty, then the map is empty and nothing is reported', () => {
    expect(parse(undefined)).toEqual({ map: new Map(), problems: [] });
    expect(parse('')).toEqual({ map: new Map(), problems: [] });
  });

  it('when a role contains ":", then the entry splits at the first ":"', () => {
    const { map, problems } = parse('readers:reports:read');
    expect(problems).toEqual([]);
    expect(map.get('readers')).toEqual(['reports:read']);
  });

  it('when a group has inner spaces, then it is kept as written', () => {
    const { map, problems } = parse('Eng Admins:admin');
    expect(problems).toEqual([]);
    expect(map.get('Eng Admins')).toEqual(['admin']);
  });

  it('when several entries are wrong, then every problem is reported at once, naming the variable and entry', () => {
    const { map, problems } = parse('ok:admin,,analysts, :x,eng-admins,g:9bad,g: admin,:admin,g:');
    expect(problems).toEqual([
      'OKTA_ROLE_MAP entry 2 is empty; remove the extra comma (e.g. eng-admins:admin,analysts:analyst)',
      'OKTA_ROLE_MAP entry 3 ("analysts") must be group:role (e.g. eng-admins:admin,analysts:analyst)',
      'OKTA_ROLE_MAP entry 4 (" :x") names no group before ":" (e.g. eng-admins:admin,analysts:analyst)',
      'OKTA_ROLE_MAP entry 5 ("eng-admins") must be group:role (e.g. eng-admins:admin,analysts:analyst)',
      'OKTA_ROLE_MAP entry 6 ("g:9bad"): "9bad" is not a valid role (a letter, then letters, digits, _ : . -), e.g. admin',
      'OKTA_ROLE_MAP entry 7 ("g: admin"): remove the spaces around the role "admin"',
      'OKTA_ROLE_MAP entry 8 (":admin") names no group before ":" (e.g. eng-admins:admin,analysts:analyst)',
      'OKTA_ROLE_MAP entry 9 ("g:") names no role after ":" (e.g. eng-admins:admin,analysts:analyst)',
    ]);
    expect([...map]).toEqual([['ok', ['admin']]]);
  });

  it('when spaces surround an entry after a comma, then it is reported, not trimmed', () => {
    const { map, problems } = parse('a:admin, b:analyst');
    expect(problems).toEqual([
      'OKTA_ROLE_MAP entry 2 (" b:analyst"): remove the spaces around the group "b"',
    ]);
    expect(map.has('b')).toBe(false);
  });

  it('when a role has spaces inside or is too long, then it is not a valid role', () => {
    const { problems } = parse(`a:sys admin,b:${'r'.repeat(65)}`);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('"sys admin" is not a valid role');
    expect(problems[1]).toContain('is not a valid role');
  });

  it('when groups compare lower-cased (GitHub, Workspace), then keys are lower-cased and roles keep their case', () => {
    const { map } = parse('Acme/Eng:Admin,ENG@Example.com:analyst', { groupCase: 'lower' });
    expect([...map]).toEqual([
      ['acme/eng', ['Admin']],
      ['eng@example.com', ['analyst']],
    ]);
  });
});

describe('groupCaseFor', () => {
  it('when the kind lower-cases its groups, then its keys are lower-cased; OpenID claim kinds compare exactly', () => {
    expect(groupCaseFor('github')).toBe('lower');
    expect(groupCaseFor('google')).toBe('lower');
    expect(groupCaseFor('oidc')).toBe('exact');
    expect(groupCaseFor('microsoft')).toBe('exact');
  });
});

describe('mapRoles', () => {
  const { map } = parse('eng-admins:admin,analysts:analyst,eng-admins:analyst,Ops:ops');

  it('when groups are mapped, then the roles are sorted and unique', () => {
    expect(mapRoles(['analysts', 'eng-admins', 'unmapped'], map)).toEqual(['admin', 'analyst']);
  });

  it('when no group is mapped, then no roles', () => {
    expect(mapRoles([], map)).toEqual([]);
    expect(mapRoles(['nobody'], map)).toEqual([]);
  });

  it('when a claim value differs only in case, then it does not match', () => {
    expect(mapRoles(['ops', 'ENG-ADMINS'], map)).toEqual([]);
    expect(mapRoles(['Ops'], map)).toEqual(['ops']);
  });
});
