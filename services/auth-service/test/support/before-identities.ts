import { expect } from '@jest/globals';
import type { RefreshTokenStore } from '../../src/oauth/refresh/refresh-token-store.js';
import type { SessionStore } from '../../src/sessions/session-store.js';
import type { UserDirectory } from '../../src/users/user-directory.js';

/**
 * A directory as releases before 012-identities left it, and what the migration must keep of
 * it: one pre-registered entry nobody claimed, two users signed in with roles, one disabled;
 * sessions and a device grant of the signed-in. Both dialects' migration tests insert these
 * rows (`insertRows`) into a schema migrated up to 011, then check `expectKept`.
 */
export const AT = Date.UTC(2026, 0, 1);
export const LIFETIMES = { idleTimeoutMs: 86_400_000, maxAgeMs: 30 * 86_400_000 };
const ISSUER = 'https://accounts.google.com';
const HOUR = 3_600_000;

type Value = string | number | boolean | null;
type Rows = Record<string, Record<string, Value>[]>;

const user = (id: string, subject: string | null, roles: string[], more: object = {}) => ({
  id,
  issuer: subject === null ? '' : ISSUER,
  subject,
  email: `${id}@example.com`,
  name: subject === null ? null : id,
  picture: null,
  roles: JSON.stringify(roles),
  disabled: false,
  registered: false,
  created_at: AT - 100 * HOUR,
  last_sign_in_at: subject === null ? null : AT - HOUR,
  ...more,
});

const session = (userId: string) => ({
  id: `cookie-${userId}`,
  data: JSON.stringify({ userId, sid: `sid-${userId}`, signedInAt: AT - HOUR }),
  created_at: AT - HOUR,
  last_seen_at: AT - 60_000,
  signed_in: true,
  user_id: userId,
  sid: `sid-${userId}`,
  ip: '192.0.2.1',
  user_agent: 'test',
});

/** In insertion order (refresh tokens name their family). */
export const ROWS: Rows = {
  users: [
    user('pre', null, ['auditor'], { registered: true }),
    user('ada', 'g-ada', ['admin'], { registered: true, created_at: AT - 90 * HOUR }),
    user('bob', 'g-bob', ['editor', 'viewer'], { last_sign_in_at: AT - 2 * HOUR }),
    user('cy', 'g-cy', [], { disabled: true }),
  ],
  sessions: [session('ada'), session('bob')],
  refresh_families: ['ada', 'bob'].map((id) => ({
    id: `family-${id}`,
    client_id: 'gatehouse-cli',
    user_id: id,
    scope: 'api',
    rotation_key: 'key',
    created_at: AT - HOUR,
    last_used_at: AT - HOUR,
  })),
  refresh_tokens: ['ada', 'bob'].map((id) => ({
    token_hash: `refresh-${id}`,
    family_id: `family-${id}`,
    issued_at: AT - HOUR,
  })),
};

/** Inserts ROWS through `run`; `placeholder(n)` is the dialect's nth parameter (from 1). */
export async function insertRows(
  run: (sql: string, values: Value[]) => unknown,
  placeholder: (n: number) => string,
): Promise<void> {
  for (const [table, rows] of Object.entries(ROWS)) {
    for (const row of rows) {
      const columns = Object.keys(row);
      const marks = columns.map((_, i) => placeholder(i + 1));
      await run(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${marks.join(', ')})`,
        Object.values(row),
      );
    }
  }
}

/** What the migrated stores must read: identities moved, nothing else changed. */
export async function expectKept(stores: {
  directory: UserDirectory;
  sessions: SessionStore;
  refreshTokens: RefreshTokenStore;
}): Promise<void> {
  const { directory, sessions, refreshTokens } = stores;
  for (const before of ROWS.users!) {
    const id = String(before.id);
    const roles = JSON.parse(String(before.roles)) as string[];
    expect(await directory.findById(id)).toMatchObject({
      subject: before.subject,
      roles,
      directoryRoles: roles,
      disabled: before.disabled,
      registered: before.registered,
    });
    const identities = await directory.identities(id);
    if (before.subject === null) {
      expect(identities).toEqual([]);
      continue;
    }
    expect(identities).toEqual([
      {
        provider: 'google',
        issuer: ISSUER,
        subject: before.subject,
        email: before.email,
        mappedRoles: [],
        linkedAt: before.created_at,
        lastSignInAt: before.last_sign_in_at,
      },
    ]);
    expect((await directory.findByIdentity('google', String(before.subject)))?.id).toBe(id);
  }
  for (const id of ['ada', 'bob']) {
    expect(await sessions.listOfUser(id)).toEqual([
      expect.objectContaining({ sid: `sid-${id}`, createdAt: AT - HOUR }),
    ]);
    expect(await sessions.get(`cookie-${id}`)).toMatchObject({ userId: id });
    expect((await refreshTokens.find(`refresh-${id}`))?.family.userId).toBe(id);
    expect((await refreshTokens.listLiveOfUser(id, AT)).map((f) => f.id)).toEqual([`family-${id}`]);
  }
}
