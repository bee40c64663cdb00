import { describe, expect, it } from '@jest/globals';
import { silentLogger } from '@gatehouse/shared';
import {
  createRoleRereader,
  FRESH_MS,
  MAX_STALE_MS,
  type RereadSource,
} from '../../../src/signin/roles/reread-roles.js';
import { parseRoleMap } from '../../../src/signin/roles/role-map.js';
import { WorkspaceGroupsError } from '../../../src/signin/roles/workspace-groups-error.js';
import type { LinkedIdentity } from '../../../src/users/user-directory.js';

const T0 = Date.UTC(2026, 11, 8, 12);
const roleMap = parseRoleMap(
  'GOOGLE_ROLE_MAP',
  'eng-admins@x.com:admin,analysts@x.com:analyst',
  () => {
    throw new Error('the test map is valid');
  },
);

/**
 * A re-reader over an in-memory store of mapped roles and a scripted `google` source: the
 * source answers `answer()` (groups, or an error to throw), counting reads.
 */
function setUp(options: { freshMs?: number; maxStaleMs?: number } = {}) {
  const clock = { now: T0 };
  const stored = new Map<string, string[]>();
  const writes: [string, string, readonly string[]][] = [];
  const state: { answer: string[] | Error; reads: number } = { answer: [], reads: 0 };
  const source: RereadSource = {
    roleMap,
    async readGroups() {
      state.reads++;
      await Promise.resolve();
      if (state.answer instanceof Error) throw state.answer;
      return state.answer;
    },
  };
  const reread = createRoleRereader({
    directory: {
      async setMappedRoles(provider, subject, roles) {
        writes.push([provider, subject, roles]);
        stored.set(`${provider}/${subject}`, [...roles]);
      },
    },
    sources: new Map([['google', source]]),
    now: () => clock.now,
    log: silentLogger(),
    ...options,
  });
  /** The identity as the directory would list it now. */
  const identity = (overrides: Partial<LinkedIdentity> = {}): LinkedIdentity => {
    const provider = overrides.provider ?? 'google';
    const subject = overrides.subject ?? '1001';
    return {
      provider,
      issuer: 'https://accounts.google.com',
      subject,
      email: 'ada@x.com',
      linkedAt: T0 - 86_400_000,
      lastSignInAt: null,
      ...overrides,
      mappedRoles: overrides.mappedRoles ?? stored.get(`${provider}/${subject}`) ?? [],
    };
  };
  const once = async (overrides?: Partial<LinkedIdentity>) =>
    (await reread([identity(overrides)]))[0]!;
  return { clock, state, writes, stored, reread, identity, once };
}

describe('createRoleRereader', () => {
  it('when the provider now lists a mapped group, then the role is gained and stored', async () => {
    const { state, writes, once } = setUp();
    state.answer = ['eng-admins@x.com', 'unmapped@x.com'];
    expect(await once()).toEqual({
      provider: 'google',
      subject: '1001',
      outcome: 'changed',
      mappedRoles: ['admin'],
    });
    expect(writes).toEqual([['google', '1001', ['admin']]]);
  });

  it('when the groups map to the roles already stored, then nothing is written', async () => {
    const { state, writes, once } = setUp();
    state.answer = ['analysts@x.com', 'eng-admins@x.com'];
    expect((await once({ mappedRoles: ['admin', 'analyst'] })).outcome).toBe('unchanged');
    expect(writes).toEqual([]);
  });

  it('when a group is removed at the provider, then its role is lost at the first refresh after the cached read is stale', async () => {
    const { clock, state, once } = setUp();
    state.answer = ['eng-admins@x.com'];
    await once();
    state.answer = [];
    clock.now += FRESH_MS - 1;
    expect(await once()).toMatchObject({ outcome: 'unchanged', mappedRoles: ['admin'] });
    expect(state.reads).toBe(1);
    clock.now += 1;
    expect(await once()).toMatchObject({ outcome: 'changed', mappedRoles: [] });
    expect(state.reads).toBe(2);
  });

  it('when the provider refuses (unknown user, 403, bad credentials, any other error), then the mapped roles become [] at the next read', async () => {
    for (const error of [
      new WorkspaceGroupsError('refused', 'the Directory API refused (404)', { status: 404 }),
      new WorkspaceGroupsError('credentials_refused', 'refused the assertion (400)'),
      new WorkspaceGroupsError('too_many_groups', 'more than 10 pages'),
      new TypeError('a bug'),
    ]) {
      const { clock, state, writes, once } = setUp();
      state.answer = ['eng-admins@x.com'];
      await once();
      state.answer = error;
      clock.now += FRESH_MS;
      const result = await once({ lastSignInAt: T0 });
      expect([result.outcome, result.mappedRoles]).toEqual(['refused', []]);
      expect(result.code).toBe(error instanceof WorkspaceGroupsError ? error.code : 'error');
      expect(writes.at(-1)).toEqual(['google', '1001', []]);
    }
  });

  it('when the provider is unreachable, then stored roles are kept until the last good read is older than the bound, then dropped', async () => {
    const { clock, state, writes, once } = setUp();
    state.answer = ['eng-admins@x.com'];
    await once();
    state.answer = new WorkspaceGroupsError('unavailable', 'the Directory API did not answer');
    clock.now += FRESH_MS;
    expect(await once()).toMatchObject({
      outcome: 'kept_in_outage',
      mappedRoles: ['admin'],
      code: 'unavailable',
    });
    clock.now = T0 + MAX_STALE_MS - 1;
    expect((await once()).outcome).toBe('kept_in_outage');
    expect(writes).toHaveLength(1);
    clock.now = T0 + MAX_STALE_MS;
    expect(await once()).toMatchObject({ outcome: 'dropped_in_outage', mappedRoles: [] });
    expect(writes.at(-1)).toEqual(['google', '1001', []]);
  });

  it('when the provider is unreachable and this process never read the groups, then a recent sign-in counts as the last good read', async () => {
    const { state, once, clock } = setUp();
    state.answer = new WorkspaceGroupsError('unavailable', 'the Directory API answered 503');
    const recent = await once({ mappedRoles: ['admin'], lastSignInAt: T0 - MAX_STALE_MS + 1 });
    expect(recent).toMatchObject({ outcome: 'kept_in_outage', mappedRoles: ['admin'] });
    clock.now += 1;
    const old = await once({ mappedRoles: ['admin'], lastSignInAt: T0 - MAX_STALE_MS + 1 });
    expect(old).toMatchObject({ outcome: 'dropped_in_outage', mappedRoles: [] });
    expect((await once({ mappedRoles: ['admin'], lastSignInAt: null })).outcome).toBe(
      'dropped_in_outage',
    );
  });

  it('when the provider has no re-readable source (OpenID claims, GitHub teams), then its roles stay as last mapped and nothing is read', async () => {
    const { state, writes, once } = setUp();
    const result = await once({ provider: 'okta', mappedRoles: ['admin'] });
    expect(result).toEqual({
      provider: 'okta',
      subject: '1001',
      outcome: 'not_rereadable',
      mappedRoles: ['admin'],
    });
    expect([state.reads, writes]).toEqual([0, []]);
  });

  it('when several identities are given, then each is re-read or left by its provider', async () => {
    const { state, reread, identity } = setUp();
    state.answer = ['analysts@x.com'];
    const results = await reread([
      identity(),
      identity({ provider: 'github', mappedRoles: ['ops'] }),
    ]);
    expect(results.map((r) => [r.provider, r.outcome, r.mappedRoles])).toEqual([
      ['google', 'changed', ['analyst']],
      ['github', 'not_rereadable', ['ops']],
    ]);
  });

  it('when two refreshes re-read the same identity at once, then the provider is asked once', async () => {
    const { state, once } = setUp();
    state.answer = ['eng-admins@x.com'];
    await Promise.all([once(), once()]);
    expect(state.reads).toBe(1);
  });

  it('when the identity’s email changed, then the cached read does not serve it', async () => {
    const { state, once } = setUp();
    state.answer = ['eng-admins@x.com'];
    await once();
    await once({ email: 'ada.lovelace@x.com' });
    expect(state.reads).toBe(2);
  });

  it('when freshness exceeds the staleness bound, then creation fails naming the options', () => {
    expect(() => setUp({ freshMs: MAX_STALE_MS + 1 })).toThrow(
      '"freshMs" must be positive and at most "maxStaleMs"',
    );
    expect(() => setUp({ freshMs: 0 })).toThrow('"freshMs"');
  });
});
