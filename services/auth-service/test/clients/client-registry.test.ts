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
});
