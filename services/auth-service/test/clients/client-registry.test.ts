import { describe, expect, it } from '@jest/globals';
import {
  BuiltInClientError,
  ClientExistsError,
  type ClientRegistry,
} from '../../src/clients/client.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createSqliteClientRegistry } from '../../src/db/sqlite/sqlite-client-registry.js';

/** The contract every ClientRegistry adapter passes; one adapter (SQLite) today. */
const adapters: [string, () => ClientRegistry][] = [
  ['sqlite', () => createSqliteClientRegistry(openDatabase(':memory:'))],
];

describe.each(adapters)('ClientRegistry (%s)', (_name, open) => {
  it('when opened, then the built-in public clients are registered', () => {
    const registry = open();
    expect(registry.find('gatehouse-cli')).toEqual({
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
    expect(registry.find('gatehouse-web')).toMatchObject({ builtIn: true, grantTypes: [] });
    expect(registry.find('nobody')).toBeUndefined();
  });

  it('when a client is added twice or a built-in removed, then the typed errors say so', () => {
    const registry = open();
    const client = {
      clientId: 'tool',
      name: 'Tool',
      grantTypes: ['refresh_token' as const],
      scopes: ['api'],
      refreshIdleTtl: 60,
      refreshAbsoluteTtl: 120,
    };
    expect(registry.add(client, 0)).toMatchObject({ clientId: 'tool', builtIn: false });
    expect(() => registry.add(client, 0)).toThrow(ClientExistsError);
    expect(() => registry.remove('gatehouse-cli')).toThrow(BuiltInClientError);
    expect(registry.list().map((c) => c.clientId)).toEqual([
      'gatehouse-cli',
      'gatehouse-web',
      'tool',
    ]);
    expect(registry.remove('tool')).toBe(true);
    expect(registry.remove('tool')).toBe(false);
  });

  it('when a confidential client is added, then its secret hash and grant id are kept, a public one has none', async () => {
    const registry = open();
    const added = await registry.add(
      {
        clientId: 'billing',
        name: 'Billing',
        type: 'confidential',
        secretHash: 'hash-1',
        grantId: 'grant-1',
        grantTypes: ['client_credentials'],
        scopes: ['api:read'],
        refreshIdleTtl: 60,
        refreshAbsoluteTtl: 120,
      },
      0,
    );
    expect(added).toMatchObject({ type: 'confidential', grantId: 'grant-1', builtIn: false });
    expect(await registry.secretHashes('billing')).toEqual({
      current: 'hash-1',
      previous: null,
      previousExpiresAt: null,
    });
    expect(await registry.secretHashes('gatehouse-cli')).toBeUndefined();
    expect(await registry.secretHashes('nobody')).toBeUndefined();
  });

  it('when a secret is replaced with or without an overlap, then the previous hash is kept until then or dropped', async () => {
    const registry = open();
    await registry.add(
      {
        clientId: 'billing',
        name: 'Billing',
        type: 'confidential',
        secretHash: 'hash-1',
        grantId: 'grant-1',
        grantTypes: ['client_credentials'],
        scopes: ['api:read'],
        refreshIdleTtl: 60,
        refreshAbsoluteTtl: 120,
      },
      0,
    );
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
    expect(await registry.replaceSecret('gatehouse-cli', 'hash', null)).toBe(false);
    expect(await registry.replaceSecret('nobody', 'hash', null)).toBe(false);
  });
});
