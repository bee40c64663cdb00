import { describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../../src/db/sqlite/open-database.js';
import { createSqliteClientRegistry } from '../../../src/db/sqlite/sqlite-client-registry.js';
import type { ClientRegistry } from '../../../src/oauth/clients/client.js';
import { rememberBuiltInClients } from '../../../src/oauth/clients/remember-built-in-clients.js';

/** The SQLite registry, counting the reads that reach it. */
function countedRegistry() {
  const inner = createSqliteClientRegistry(openDatabase(':memory:'));
  const reads: string[] = [];
  const counted: ClientRegistry = {
    ...inner,
    find: (id) => (reads.push(id), inner.find(id)),
    findWithSecretHashes: (id) => (reads.push(id), inner.findWithSecretHashes(id)),
  };
  return { inner, reads, registry: rememberBuiltInClients(counted) };
}

const SERVICE = {
  clientId: 'billing',
  name: 'Billing',
  type: 'confidential' as const,
  secretHash: 'hash-1',
  grantId: 'grant-1',
  grantTypes: ['client_credentials' as const],
  scopes: ['api:read'],
  refreshIdleTtl: 0,
  refreshAbsoluteTtl: 0,
};

describe('rememberBuiltInClients', () => {
  it('when a built-in client is asked for again, then it comes from memory, equal to the row', async () => {
    const { inner, reads, registry } = countedRegistry();
    const first = await registry.findWithSecretHashes('gatehouse-cli');
    expect(first).toEqual(await inner.findWithSecretHashes('gatehouse-cli'));
    expect(await registry.find('gatehouse-cli')).toEqual(await inner.find('gatehouse-cli'));
    expect(await registry.findWithSecretHashes('gatehouse-cli')).toEqual(first);
    expect(reads).toEqual(['gatehouse-cli']);
  });

  it('when a registered client is asked for, then every call reads it: removal and a new secret are seen at once', async () => {
    const { inner, reads, registry } = countedRegistry();
    await inner.add(SERVICE, 1);
    expect((await registry.findWithSecretHashes('billing'))?.secretHashes?.current).toBe('hash-1');
    await inner.replaceSecret('billing', 'hash-2', null);
    expect((await registry.findWithSecretHashes('billing'))?.secretHashes?.current).toBe('hash-2');
    await inner.remove('billing');
    expect(await registry.findWithSecretHashes('billing')).toBeUndefined();
    expect(await registry.find('billing')).toBeUndefined();
    expect(reads).toEqual(['billing', 'billing', 'billing', 'billing']);
  });

  it('when an unknown client is asked for, then it is read every time, so one added later is found', async () => {
    const { inner, registry } = countedRegistry();
    expect(await registry.find('tool')).toBeUndefined();
    await inner.add(
      {
        clientId: 'tool',
        name: 'Tool',
        grantTypes: ['refresh_token'],
        scopes: [],
        refreshIdleTtl: 60,
        refreshAbsoluteTtl: 120,
      },
      1,
    );
    expect((await registry.find('tool'))?.clientId).toBe('tool');
  });
});
