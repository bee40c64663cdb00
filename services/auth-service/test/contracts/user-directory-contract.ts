import { describe, expect, it } from '@jest/globals';
import type { Identity, UserDirectory } from '../../src/users/user-directory.js';
import { linkedIdentitiesContract } from './linked-identities-contract.js';
import type { OpenAdapter } from './open-adapter.js';

const ISSUER = 'https://accounts.example';
const identity = (overrides: Partial<Identity> = {}): Identity => ({
  provider: 'google',
  issuer: ISSUER,
  subject: 'sub-1',
  email: 'Ada@Example.com',
  name: 'Ada',
  picture: 'https://pictures.example/ada.png',
  ...overrides,
});

/**
 * What every UserDirectory adapter promises (users/user-directory.ts): emails normalised,
 * pre-registration merges roles into an existing entry, a sign-in claims and refreshes an
 * entry, roles kept sorted and unique, list ordered by email; then linkedIdentitiesContract.
 * Run it from a *.test.ts file.
 */
export function userDirectoryContract(name: string, open: OpenAdapter<UserDirectory>): void {
  describe(`UserDirectory contract (${name})`, () => {
    const withStore = async (test: (store: UserDirectory) => Promise<void>) => {
      const { store, close } = await open();
      try {
        await test(store);
      } finally {
        await close();
      }
    };

    it('when an email is pre-registered, then it is found by normalised email, registered and unclaimed', () =>
      withStore(async (directory) => {
        const entry = await directory.preRegister(' Ada@Example.COM ', ['b', 'a', 'b'], 1_000);
        expect(entry).toEqual({
          id: expect.any(String),
          issuer: '',
          subject: null,
          email: 'ada@example.com',
          name: null,
          picture: null,
          roles: ['a', 'b'],
          directoryRoles: ['a', 'b'],
          disabled: false,
          registered: true,
          createdAt: 1_000,
          lastSignInAt: null,
        });
        expect(await directory.findByEmail('ADA@example.com')).toEqual(entry);
        expect(await directory.findById(entry.id)).toEqual(entry);
        expect(await directory.findByEmail('nobody@example.com')).toBeUndefined();
        expect(await directory.findById('no-such-id')).toBeUndefined();
      }));

    it('when an existing email is pre-registered again, then its roles are merged and the id kept', () =>
      withStore(async (directory) => {
        const created = await directory.create(identity(), 1_000);
        expect(created.registered).toBe(false);
        const again = await directory.preRegister('ada@example.com', ['admin'], 2_000);
        expect(again).toMatchObject({
          id: created.id,
          registered: true,
          roles: ['admin'],
          directoryRoles: ['admin'],
        });
        const third = await directory.preRegister('ada@example.com', ['auditor'], 3_000);
        expect(third.roles).toEqual(['admin', 'auditor']);
        expect(third.createdAt).toBe(1_000);
        expect(await directory.list()).toHaveLength(1);
      }));

    it('when someone is created at first sign-in, then the entry holds the identity without roles', () =>
      withStore(async (directory) => {
        const entry = await directory.create(identity(), 5_000);
        expect(entry).toEqual({
          id: expect.any(String),
          issuer: ISSUER,
          subject: 'sub-1',
          email: 'ada@example.com',
          name: 'Ada',
          picture: 'https://pictures.example/ada.png',
          roles: [],
          directoryRoles: [],
          disabled: false,
          registered: false,
          createdAt: 5_000,
          lastSignInAt: 5_000,
        });
        expect(await directory.findByIdentity('google', 'sub-1')).toEqual(entry);
        expect(await directory.findByIdentity('github', 'sub-1')).toBeUndefined();
        expect(await directory.findByIdentity('google', 'sub-2')).toBeUndefined();
        expect(await directory.identities(entry.id)).toEqual([
          {
            provider: 'google',
            issuer: ISSUER,
            subject: 'sub-1',
            email: 'ada@example.com',
            mappedRoles: [],
            linkedAt: 5_000,
            lastSignInAt: 5_000,
          },
        ]);
      }));

    it('when a sign-in is recorded, then a pre-registered entry is claimed, the identity linked and the profile refreshed', () =>
      withStore(async (directory) => {
        const registered = await directory.preRegister('ada@example.com', ['admin'], 1_000);
        const claimed = await directory.recordSignIn(
          registered.id,
          identity({ email: 'ADA@example.com', name: null, picture: null }),
          2_000,
        );
        expect(claimed).toMatchObject({
          id: registered.id,
          issuer: ISSUER,
          subject: 'sub-1',
          email: 'ada@example.com',
          name: null,
          roles: ['admin'],
          registered: true,
          createdAt: 1_000,
          lastSignInAt: 2_000,
        });
        expect(await directory.identities(registered.id)).toEqual([
          expect.objectContaining({
            provider: 'google',
            subject: 'sub-1',
            email: 'ada@example.com',
            linkedAt: 2_000,
            lastSignInAt: 2_000,
          }),
        ]);
        const renamed = await directory.recordSignIn(
          registered.id,
          identity({ email: 'ada@new.example', name: 'Ada L.' }),
          3_000,
        );
        expect(renamed).toMatchObject({ email: 'ada@new.example', name: 'Ada L.' });
        expect(await directory.findByEmail('ada@example.com')).toBeUndefined();
        expect(await directory.findByIdentity('google', 'sub-1')).toEqual(renamed);
        expect(await directory.identities(registered.id)).toEqual([
          expect.objectContaining({
            email: 'ada@new.example',
            linkedAt: 2_000,
            lastSignInAt: 3_000,
          }),
        ]);
      }));

    it('when roles are set, then they are replaced, sorted and without duplicates', () =>
      withStore(async (directory) => {
        const { id } = await directory.preRegister('ada@example.com', ['old'], 0);
        await directory.setRoles(id, ['zeta', 'alpha', 'zeta']);
        expect(await directory.findById(id)).toMatchObject({
          roles: ['alpha', 'zeta'],
          directoryRoles: ['alpha', 'zeta'],
        });
        await directory.setRoles(id, []);
        expect((await directory.findById(id))?.roles).toEqual([]);
      }));

    it('when an entry is disabled and enabled, then the flag follows and nothing else changes', () =>
      withStore(async (directory) => {
        const entry = await directory.preRegister('ada@example.com', ['admin'], 0);
        await directory.setDisabled(entry.id, true);
        expect(await directory.findById(entry.id)).toEqual({ ...entry, disabled: true });
        await directory.setDisabled(entry.id, false);
        expect(await directory.findById(entry.id)).toEqual(entry);
      }));

    it('when entries are listed, then they come ordered by email; a removed one is gone', () =>
      withStore(async (directory) => {
        expect(await directory.list()).toEqual([]);
        await directory.preRegister('carol@example.com', [], 0);
        const bob = await directory.preRegister('bob@example.com', [], 0);
        await directory.create(identity({ email: 'alice@example.com' }), 0);
        expect((await directory.list()).map((entry) => entry.email)).toEqual([
          'alice@example.com',
          'bob@example.com',
          'carol@example.com',
        ]);
        await directory.remove(bob.id);
        await directory.remove('no-such-id');
        expect(await directory.findById(bob.id)).toBeUndefined();
        expect((await directory.list()).map((entry) => entry.email)).toEqual([
          'alice@example.com',
          'carol@example.com',
        ]);
      }));
  });
  linkedIdentitiesContract(name, open);
}
