import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { silentLogger } from '@gatehouse/shared';
import {
  startFakeWorkspaceDirectory,
  type FakeWorkspaceDirectory,
} from '../../../../../test/support/fake-workspace-directory.js';
import {
  createRoleRereader,
  FRESH_MS,
  MAX_STALE_MS,
} from '../../../src/signin/roles/reread-roles.js';
import { groupCaseFor, parseRoleMap } from '../../../src/signin/roles/role-map.js';
import { readServiceAccountKey } from '../../../src/signin/provider/service-account-key.js';
import { workspaceGroups } from '../../../src/signin/roles/workspace-groups.js';
import { workspaceSource } from '../../../src/signin/roles/workspace-source.js';
import type { LinkedIdentity } from '../../../src/users/user-directory.js';

const ADMIN = 'admin@example.com';
const T0 = Date.UTC(2026, 11, 8, 12);
let directory: FakeWorkspaceDirectory;
const clock = { now: T0 };

beforeAll(async () => {
  directory = await startFakeWorkspaceDirectory({ adminEmail: ADMIN, now: () => clock.now });
});
afterAll(() => directory.close());

/** The refresh-time re-read wired as the integrator would: Workspace groups for `google`. */
async function wired(options: { userKey?: 'email' | 'subject' } = {}) {
  const roleMap = parseRoleMap(
    'GOOGLE_ROLE_MAP',
    'Eng-Admins@Example.com:admin,analysts@example.com:analyst',
    (message) => {
      throw new Error(message);
    },
    { groupCase: groupCaseFor('google') },
  );
  const groupsOf = workspaceGroups({
    key: await readServiceAccountKey(await directory.writeKeyFile()),
    adminEmail: ADMIN,
    directoryUrl: directory.url,
    now: () => clock.now,
  });
  const stored = new Map<string, string[]>();
  const reread = createRoleRereader({
    directory: {
      async setMappedRoles(provider, subject, roles) {
        stored.set(`${provider}/${subject}`, [...roles]);
      },
    },
    sources: new Map([['google', workspaceSource(roleMap, groupsOf, options)]]),
    now: () => clock.now,
    log: silentLogger(),
  });
  const identity = (overrides: Partial<LinkedIdentity> = {}): LinkedIdentity => ({
    provider: 'google',
    issuer: 'https://accounts.google.com',
    subject: '1001',
    email: 'ada@example.com',
    mappedRoles: stored.get('google/1001') ?? [],
    linkedAt: T0,
    lastSignInAt: T0,
    ...overrides,
  });
  return async (overrides?: Partial<LinkedIdentity>) => (await reread([identity(overrides)]))[0]!;
}

describe('re-reading Workspace groups at refresh', () => {
  it('when groups are gained and lost in the directory, then mapped roles follow at the next stale read', async () => {
    clock.now = T0;
    const refresh = await wired();
    directory.setGroups('ada@example.com', [
      'eng-admins@example.com',
      'all@example.com',
      'x@example.com',
    ]);
    expect(await refresh()).toMatchObject({ outcome: 'changed', mappedRoles: ['admin'] });
    directory.setGroups('ada@example.com', ['analysts@example.com']);
    clock.now += FRESH_MS;
    expect(await refresh()).toMatchObject({ outcome: 'changed', mappedRoles: ['analyst'] });
  });

  it('when the user is removed from the directory, then the mapped roles are dropped', async () => {
    clock.now = T0;
    const refresh = await wired();
    directory.setGroups('ada@example.com', ['eng-admins@example.com']);
    await refresh();
    directory.removeUser('ada@example.com');
    clock.now += FRESH_MS;
    expect(await refresh()).toMatchObject({ outcome: 'refused', code: 'refused', mappedRoles: [] });
  });

  it('when the directory goes down, then the roles are kept within the bound and dropped after it', async () => {
    clock.now = T0;
    const refresh = await wired();
    directory.setGroups('ada@example.com', ['eng-admins@example.com']);
    await refresh();
    directory.misbehave({ down: true });
    try {
      clock.now = T0 + FRESH_MS;
      expect(await refresh()).toMatchObject({ outcome: 'kept_in_outage', mappedRoles: ['admin'] });
      clock.now = T0 + MAX_STALE_MS;
      expect(await refresh()).toMatchObject({ outcome: 'dropped_in_outage', mappedRoles: [] });
    } finally {
      directory.misbehave({ down: false });
    }
  });

  it('when the identity has no email, then it is refused; by subject, the id is the user key', async () => {
    clock.now = T0;
    expect(await (await wired())({ email: null, mappedRoles: ['admin'] })).toMatchObject({
      outcome: 'refused',
      mappedRoles: [],
    });
    directory.setGroups('1001', ['analysts@example.com']);
    const bySubject = await wired({ userKey: 'subject' });
    expect(await bySubject({ email: null })).toMatchObject({ mappedRoles: ['analyst'] });
  });
});
