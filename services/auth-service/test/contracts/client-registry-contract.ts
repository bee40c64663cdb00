import { describe, expect, it } from '@jest/globals';
import {
  BuiltInClientError,
  ClientExistsError,
  type ClientRegistry,
  type NewClient,
} from '../../src/oauth/clients/client.js';
import type { OpenAdapter } from './open-adapter.js';

const TOOL: NewClient = {
  clientId: 'tool',
  name: 'Tool',
  grantTypes: ['refresh_token'],
  scopes: ['api', 'read'],
  refreshIdleTtl: 60,
  refreshAbsoluteTtl: 120,
};

const BILLING: NewClient = {
  clientId: 'billing',
  name: 'Billing',
  type: 'confidential',
  secretHash: 'hash-1',
  grantId: 'grant-1',
  grantTypes: ['client_credentials'],
  scopes: ['api:read'],
  refreshIdleTtl: 60,
  refreshAbsoluteTtl: 120,
};

/**
 * What every ClientRegistry adapter promises (clients/client.ts): the built-in clients are
 * there from the start, `add` stores exactly what it is given and refuses a taken id, `remove`
 * refuses built-in clients, a confidential client keeps its secret hash and grant id, and
 * `replaceSecret` keeps the replaced hash for its overlap or drops it. Run it from a *.test.ts file with the adapter's opener.
 */
export function clientRegistryContract(name: string, open: OpenAdapter<ClientRegistry>): void {
  describe(`ClientRegistry contract (${name})`, () => {
    const withStore = async (test: (store: ClientRegistry) => Promise<void>) => {
      const { store, close } = await open();
      try {
        await test(store);
      } finally {
        await close();
      }
    };

    it('when opened, then the built-in public clients are registered', () =>
      withStore(async (registry) => {
        expect(await registry.find('gatehouse-cli')).toEqual({
          clientId: 'gatehouse-cli',
          name: 'Gatehouse command line',
          type: 'public',
          grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
          scopes: ['api'],
          refreshIdleTtl: 14 * 86_400,
          refreshAbsoluteTtl: 30 * 86_400,
          builtIn: true,
          grantId: null,
        });
        expect(await registry.find('gatehouse-web')).toMatchObject({
          builtIn: true,
          grantTypes: [],
        });
        expect(await registry.find('nobody')).toBeUndefined();
      }));

    it('when a client is added, then find and list return exactly it, as public and not built in', () =>
      withStore(async (registry) => {
        const added = await registry.add(TOOL, 1_000);
        const expected = { ...TOOL, type: 'public', builtIn: false, grantId: null };
        expect(added).toEqual(expected);
        expect(await registry.find('tool')).toEqual(expected);
        expect((await registry.list()).map((c) => c.clientId)).toEqual([
          'gatehouse-cli',
          'gatehouse-web',
          'tool',
        ]);
      }));

    it('when a client id is taken, then add rejects with ClientExistsError and keeps the first', () =>
      withStore(async (registry) => {
        await registry.add(TOOL, 0);
        await expect(registry.add({ ...TOOL, name: 'Again' }, 0)).rejects.toThrow(
          ClientExistsError,
        );
        await expect(registry.add({ ...TOOL, clientId: 'gatehouse-cli' }, 0)).rejects.toThrow(
          ClientExistsError,
        );
        expect((await registry.find('tool'))?.name).toBe('Tool');
      }));

    it('when removing, then a built-in client is refused, an added one goes once, an unknown one is false', () =>
      withStore(async (registry) => {
        await registry.add(TOOL, 0);
        await expect(registry.remove('gatehouse-cli')).rejects.toThrow(BuiltInClientError);
        expect(await registry.find('gatehouse-cli')).toBeDefined();
        expect(await registry.remove('tool')).toBe(true);
        expect(await registry.find('tool')).toBeUndefined();
        expect(await registry.remove('tool')).toBe(false);
        expect(await registry.remove('nobody')).toBe(false);
      }));

    it('when a confidential client is added, then its secret hash and grant id are kept, a public one has none', () =>
      withStore(async (registry) => {
        const added = await registry.add(BILLING, 0);
        expect(added).toMatchObject({ type: 'confidential', grantId: 'grant-1', builtIn: false });
        expect(await registry.find('billing')).toEqual(added);
        expect(await registry.secretHashes('billing')).toEqual({
          current: 'hash-1',
          previous: null,
          previousExpiresAt: null,
        });
        await registry.add(TOOL, 0);
        expect(await registry.secretHashes('tool')).toBeUndefined();
        expect(await registry.secretHashes('gatehouse-cli')).toBeUndefined();
        expect(await registry.secretHashes('nobody')).toBeUndefined();
        for (const id of ['billing', 'tool', 'gatehouse-cli']) {
          expect(await registry.findWithSecretHashes(id)).toEqual({
            client: await registry.find(id),
            secretHashes: await registry.secretHashes(id),
          });
        }
        expect(await registry.findWithSecretHashes('nobody')).toBeUndefined();
      }));

    it('when a secret is replaced with or without an overlap, then the previous hash is kept until then or dropped', () =>
      withStore(async (registry) => {
        await registry.add(BILLING, 0);
        expect(await registry.replaceSecret('billing', 'hash-2', 5_000)).toBe(true);
        expect(await registry.secretHashes('billing')).toEqual({
          current: 'hash-2',
          previous: 'hash-1',
          previousExpiresAt: 5_000,
        });
        expect(await registry.replaceSecret('billing', 'hash-3', null)).toBe(true);
        expect(await registry.secretHashes('billing')).toEqual({
          current: 'hash-3',
          previous: null,
          previousExpiresAt: null,
        });
        expect((await registry.findWithSecretHashes('billing'))?.secretHashes?.current).toBe(
          'hash-3',
        );
        await registry.add(TOOL, 0);
        expect(await registry.replaceSecret('tool', 'hash', null)).toBe(false);
        expect(await registry.secretHashes('tool')).toBeUndefined();
        expect(await registry.replaceSecret('gatehouse-cli', 'hash', null)).toBe(false);
        expect(await registry.replaceSecret('nobody', 'hash', null)).toBe(false);
      }));

    it('when a confidential client is removed, then its secret goes with it', () =>
      withStore(async (registry) => {
        await registry.add(BILLING, 0);
        expect(await registry.remove('billing')).toBe(true);
        expect(await registry.find('billing')).toBeUndefined();
        expect(await registry.secretHashes('billing')).toBeUndefined();
        expect(await registry.findWithSecretHashes('billing')).toBeUndefined();
      }));
  });
}
