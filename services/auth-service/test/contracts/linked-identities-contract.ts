import { describe, expect, it } from '@jest/globals';
import { IdentityTakenError } from '../../src/users/identity-taken-error.js';
import type { Identity, UserDirectory } from '../../src/users/user-directory.js';
import type { OpenAdapter } from './open-adapter.js';

const google = (subject: string, email: string | null = 'ada@example.com'): Identity => ({
  provider: 'google',
  issuer: 'https://accounts.example',
  subject,
  email,
  name: 'Ada',
  picture: null,
});
const github = (subject: string, email: string | null = 'ada@users.example'): Identity => ({
  ...google(subject, email),
  provider: 'github',
  issuer: 'https://github.com',
});

/**
 * What every UserDirectory adapter promises of linked identities (users/user-directory.ts):
 * one identity belongs to one user, however requests race; a user keeps at least one; mapped
 * roles add to the effective roles but never to the directory roles; removing a user unlinks
 * theirs. Run through userDirectoryContract.
 */
export function linkedIdentitiesContract(name: string, open: OpenAdapter<UserDirectory>): void {
  describe(`UserDirectory linked identities (${name})`, () => {
    const withStore = async (test: (store: UserDirectory) => Promise<void>) => {
      const { store, close } = await open();
      try {
        await test(store);
      } finally {
        await close();
      }
    };

    it('when a sign-in has no verified email, then the user keeps theirs and the identity has none', () =>
      withStore(async (directory) => {
        const ada = await directory.create(google('g-1'), 1_000);
        const signedIn = await directory.recordSignIn(ada.id, github('h-1', null), 2_000);
        expect(signedIn).toMatchObject({ email: 'ada@example.com', subject: 'h-1' });
        expect(await directory.identities(ada.id)).toEqual([
          expect.objectContaining({ provider: 'google', email: 'ada@example.com' }),
          expect.objectContaining({ provider: 'github', email: null, lastSignInAt: 2_000 }),
        ]);
      }));

    it('when an identity is linked to another user, then recordSignIn throws IdentityTakenError, link says taken, and nothing changes', () =>
      withStore(async (directory) => {
        const ada = await directory.create(google('g-1'), 1_000);
        const bob = await directory.preRegister('bob@example.com', [], 1_000);
        const signIn = directory.recordSignIn(bob.id, google('g-1', 'bob@example.com'), 2_000);
        await expect(signIn).rejects.toBeInstanceOf(IdentityTakenError);
        await expect(signIn).rejects.toMatchObject({ code: 'identity_taken', subject: 'g-1' });
        expect(await directory.link(bob.id, google('g-1'), 2_000)).toBe('taken');
        await expect(
          directory.create(google('g-1', 'carol@example.com'), 2_000),
        ).rejects.toBeInstanceOf(IdentityTakenError);
        expect(await directory.findByIdentity('google', 'g-1')).toEqual(ada);
        expect(await directory.findById(bob.id)).toEqual(bob);
        expect(await directory.identities(bob.id)).toEqual([]);
        expect(await directory.findByEmail('carol@example.com')).toBeUndefined();
      }));

    it('when two users race to link one identity, then exactly one holds it', () =>
      withStore(async (directory) => {
        const ada = await directory.preRegister('ada@example.com', [], 0);
        const bob = await directory.preRegister('bob@example.com', [], 0);
        const links = await Promise.all([
          directory.link(ada.id, github('h-1'), 1_000),
          directory.link(bob.id, github('h-1'), 1_000),
        ]);
        expect(links.sort()).toEqual(['linked', 'taken']);
        const signIns = await Promise.allSettled([
          directory.recordSignIn(ada.id, google('g-1', null), 2_000),
          directory.recordSignIn(bob.id, google('g-1', null), 2_000),
        ]);
        expect(signIns.map((s) => s.status).sort()).toEqual(['fulfilled', 'rejected']);
        const refused = signIns.find((s) => s.status === 'rejected') as PromiseRejectedResult;
        expect(refused.reason).toBeInstanceOf(IdentityTakenError);
      }));

    it('when an identity is linked, then it is found, listed after the older one, and linking again says already', () =>
      withStore(async (directory) => {
        const ada = await directory.create(google('g-1'), 1_000);
        expect(await directory.link(ada.id, github('h-1'), 2_000)).toBe('linked');
        expect(await directory.link(ada.id, github('h-1'), 3_000)).toBe('already');
        expect((await directory.findByIdentity('github', 'h-1'))?.id).toBe(ada.id);
        expect(await directory.identities(ada.id)).toEqual([
          expect.objectContaining({ provider: 'google', subject: 'g-1', linkedAt: 1_000 }),
          {
            provider: 'github',
            issuer: 'https://github.com',
            subject: 'h-1',
            email: 'ada@users.example',
            mappedRoles: [],
            linkedAt: 2_000,
            lastSignInAt: null,
          },
        ]);
        // Linking is not a sign-in: the latest sign-in's identity stays Google's.
        expect(await directory.findById(ada.id)).toMatchObject({
          subject: 'g-1',
          lastSignInAt: 1_000,
        });
      }));

    it('when identities are unlinked, then unknown ones say so and the last one stays', () =>
      withStore(async (directory) => {
        const ada = await directory.create(google('g-1'), 1_000);
        const bob = await directory.create(google('g-2', 'bob@example.com'), 1_000);
        await directory.link(ada.id, github('h-1'), 2_000);
        expect(await directory.unlink(ada.id, 'github', 'h-2')).toBe('unknown');
        expect(await directory.unlink(ada.id, 'google', 'g-2')).toBe('unknown');
        expect(await directory.unlink(ada.id, 'google', 'g-1')).toBe('unlinked');
        expect(await directory.unlink(ada.id, 'github', 'h-1')).toBe('last');
        expect(await directory.findByIdentity('google', 'g-1')).toBeUndefined();
        expect((await directory.identities(ada.id)).map((i) => i.subject)).toEqual(['h-1']);
        expect((await directory.identities(bob.id)).map((i) => i.subject)).toEqual(['g-2']);
      }));

    it('when the identity of the latest sign-in is unlinked, then another user may sign in with it', () =>
      withStore(async (directory) => {
        const ada = await directory.create(google('g-1'), 1_000);
        await directory.recordSignIn(ada.id, github('h-1'), 2_000);
        await directory.recordSignIn(ada.id, google('g-1'), 3_000);
        expect(await directory.unlink(ada.id, 'google', 'g-1')).toBe('unlinked');
        expect(await directory.findById(ada.id)).toMatchObject({
          issuer: 'https://github.com',
          subject: 'h-1',
        });
        const bob = await directory.preRegister('bob@example.com', [], 4_000);
        const claimed = await directory.recordSignIn(
          bob.id,
          google('g-1', 'bob@example.com'),
          5_000,
        );
        expect(claimed).toMatchObject({ id: bob.id, subject: 'g-1' });
      }));

    it('when mapped roles are set, then they count in roles but not in directoryRoles, and setRoles keeps them', () =>
      withStore(async (directory) => {
        const ada = await directory.create(google('g-1'), 1_000);
        await directory.link(ada.id, github('h-1'), 1_500);
        await directory.setMappedRoles('google', 'g-1', ['viewer', 'editor', 'viewer']);
        await directory.setMappedRoles('github', 'h-1', ['viewer', 'maintainer']);
        await directory.setRoles(ada.id, ['admin']);
        const expected = {
          roles: ['admin', 'editor', 'maintainer', 'viewer'],
          directoryRoles: ['admin'],
        };
        expect(await directory.findById(ada.id)).toMatchObject(expected);
        expect(await directory.findByEmail('ada@example.com')).toMatchObject(expected);
        expect(await directory.findByIdentity('github', 'h-1')).toMatchObject(expected);
        expect(await directory.list()).toEqual([expect.objectContaining(expected)]);
        expect(await directory.recordSignIn(ada.id, google('g-1'), 2_000)).toMatchObject(expected);
        expect((await directory.identities(ada.id))[0]?.mappedRoles).toEqual(['editor', 'viewer']);
        const merged = await directory.preRegister('ada@example.com', ['auditor'], 3_000);
        expect(merged).toMatchObject({ directoryRoles: ['admin', 'auditor'] });
        expect(merged.roles).toEqual(['admin', 'auditor', 'editor', 'maintainer', 'viewer']);
        await directory.setRoles(ada.id, []);
        await directory.setMappedRoles('github', 'h-1', []);
        expect(await directory.findById(ada.id)).toMatchObject({
          roles: ['editor', 'viewer'],
          directoryRoles: [],
        });
      }));

    it('when a provider credential is stored, then it is read back per identity, replaced only while still expected, and gone with an unlink', () =>
      withStore(async (directory) => {
        const ada = await directory.create(google('g-1'), 1_000);
        await directory.link(ada.id, github('h-1'), 1_500);
        expect(await directory.providerCredential('google', 'g-1')).toBeNull();
        expect(await directory.setProviderCredential('google', 'g-1', 'sealed-1')).toBe(true);
        expect(await directory.providerCredential('google', 'g-1')).toBe('sealed-1');
        expect(await directory.providerCredential('github', 'h-1')).toBeNull();
        // A sign-in keeps it: only setProviderCredential changes it.
        await directory.recordSignIn(ada.id, google('g-1'), 2_000);
        expect(await directory.providerCredential('google', 'g-1')).toBe('sealed-1');
        expect(await directory.setProviderCredential('google', 'g-1', 'x', 'stale')).toBe(false);
        expect(await directory.setProviderCredential('google', 'g-1', 'x', null)).toBe(false);
        expect(await directory.providerCredential('google', 'g-1')).toBe('sealed-1');
        expect(await directory.setProviderCredential('google', 'g-1', 'sealed-2', 'sealed-1')).toBe(
          true,
        );
        expect(await directory.setProviderCredential('github', 'h-1', 'h', null)).toBe(true);
        expect(await directory.setProviderCredential('google', 'g-1', null, 'sealed-2')).toBe(true);
        expect(await directory.providerCredential('google', 'g-1')).toBeNull();
        expect(await directory.setProviderCredential('nobody', 'n-1', 'x')).toBe(false);
        await directory.unlink(ada.id, 'github', 'h-1');
        expect(await directory.providerCredential('github', 'h-1')).toBeNull();
        expect((await directory.identities(ada.id))[0]).not.toHaveProperty('providerCredential');
      }));

    it('when a user is removed, then their identities go with them and may be linked anew', () =>
      withStore(async (directory) => {
        const ada = await directory.create(google('g-1'), 1_000);
        await directory.link(ada.id, github('h-1'), 1_000);
        await directory.remove(ada.id);
        expect(await directory.identities(ada.id)).toEqual([]);
        expect(await directory.findByIdentity('github', 'h-1')).toBeUndefined();
        const again = await directory.create(github('h-1'), 2_000);
        expect((await directory.identities(again.id)).map((i) => i.provider)).toEqual(['github']);
      }));
  });
}
