import { describe, expect, it } from '@jest/globals';
import {
  BuiltInClientError,
  ClientExistsError,
  type ClientRegistry,
  type NewClient,
} from '../../src/clients/client.js';
import type { OpenAdapter } from './open-adapter.js';

const TOOL: NewClient = {
  clientId: 'tool',
  name: 'Tool',
  grantTypes: ['refresh_token'],
  scopes: ['api', 'read'],
  refreshIdleTtl: 60,
  refreshAbsoluteTtl: 120,
};

/**
 * What every ClientRegistry adapter promises (clients/client.ts): the built-in clients are
 * there from the start, `add` stores exactly what it is given and refuses a taken id, `remove`
 * refuses built-in clients. Run it from a *.test.ts file with the adapter's opener.
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
        const expected = { ...TOOL, type: 'public', builtIn: false };
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
  });
}
