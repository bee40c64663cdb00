import { describe, expect, it } from '@jest/globals';
import type { SessionStore } from '../../src/sessions/session-store.js';
import type { Identity, UserDirectory } from '../../src/users/user-directory.js';

const MINUTE = 60_000;

/** A session store and a user directory over one database (CONTRACT_LIFETIMES, clock `now`). */
export type OpenSessionsAndUsers = (now: () => number) => Promise<{
  store: { sessions: SessionStore; directory: UserDirectory };
  close: () => Promise<void>;
}>;

const github = (subject: string): Identity => ({
  provider: 'github',
  subject,
  issuer: 'https://github.com',
  email: 'ada@users.example',
  name: 'Ada',
  picture: null,
});

/**
 * SessionStore.getWithUser (sessions/session-store.ts): the session as `get` reads it (the
 * same lifetimes, a read counts as use) and, from the same statement, its user exactly as
 * findById reads them at that moment: a user disabled, given roles or removed a moment
 * before is read so, never an earlier copy.
 */
export function sessionUserContract(name: string, open: OpenSessionsAndUsers): void {
  describe(`SessionStore.getWithUser contract (${name})`, () => {
    const withStores = async (
      test: (
        stores: { sessions: SessionStore; directory: UserDirectory },
        advance: (ms: number) => void,
      ) => Promise<void>,
    ) => {
      let now = Date.UTC(2026, 0, 1);
      const { store, close } = await open(() => now);
      try {
        await test(store, (ms) => (now += ms));
      } finally {
        await close();
      }
    };
    const signedInAs = (userId: string) => ({ userId, sid: 'sid-1', signedInAt: 1 });

    it('when a signed-in session is read, then its user comes with it as findById reads them', () =>
      withStores(async ({ sessions, directory }) => {
        const ada = await directory.preRegister('ada@example.com', ['admin'], 1_000);
        expect(await directory.link(ada.id, github('gh-1'), 2_000)).toBe('linked');
        await directory.setMappedRoles('github', 'gh-1', ['maintainer']);
        await sessions.create('s1', signedInAs(ada.id));
        const read = await sessions.getWithUser('s1');
        expect(read).toEqual({
          data: signedInAs(ada.id),
          userId: ada.id,
          user: await directory.findById(ada.id),
        });
        expect(read?.user?.roles).toEqual(['admin', 'maintainer']);
      }));

    it('when the user is disabled, given roles or removed, then the next read says so', () =>
      withStores(async ({ sessions, directory }) => {
        const ada = await directory.preRegister('ada@example.com', [], 1_000);
        await sessions.create('s1', signedInAs(ada.id));
        await directory.setDisabled(ada.id, true);
        expect((await sessions.getWithUser('s1'))?.user).toMatchObject({ disabled: true });
        await directory.setRoles(ada.id, ['admin']);
        expect((await sessions.getWithUser('s1'))?.user).toMatchObject({ roles: ['admin'] });
        await directory.remove(ada.id);
        expect(await sessions.getWithUser('s1')).toEqual({
          data: signedInAs(ada.id),
          userId: ada.id,
          user: undefined,
        });
      }));

    it('when the session is a pending sign-in, then it names no user', () =>
      withStores(async ({ sessions }) => {
        await sessions.create('p1', { returnTo: '/' });
        expect(await sessions.getWithUser('p1')).toEqual({
          data: { returnTo: '/' },
          userId: null,
          user: undefined,
        });
      }));

    it('when the session was ended or is idle past the timeout, then it reads as absent', () =>
      withStores(async ({ sessions, directory }, advance) => {
        const ada = await directory.preRegister('ada@example.com', [], 1_000);
        await sessions.create('s1', signedInAs(ada.id));
        await sessions.create('s2', signedInAs(ada.id));
        await sessions.destroy('s1');
        expect(await sessions.getWithUser('s1')).toBeUndefined();
        expect(await sessions.getWithUser('unknown')).toBeUndefined();
        advance(30 * MINUTE + 1);
        expect(await sessions.getWithUser('s2')).toBeUndefined();
        expect(await sessions.size()).toBe(0);
      }));

    it('when read within the idle timeout, then each read counts as use, as get does', () =>
      withStores(async ({ sessions, directory }, advance) => {
        const ada = await directory.preRegister('ada@example.com', [], 1_000);
        await sessions.create('s1', signedInAs(ada.id));
        for (let i = 0; i < 3; i++) {
          advance(29 * MINUTE);
          expect((await sessions.getWithUser('s1'))?.userId).toBe(ada.id);
        }
      }));
  });
}
