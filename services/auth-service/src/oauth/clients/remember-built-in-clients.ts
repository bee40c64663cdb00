import type { Client, ClientRegistry } from './client.js';

/**
 * `registry`, answering the built-in clients (`gatehouse-cli`, `gatehouse-web`) from memory
 * once read. They cannot change while the service runs: a migration seeds them, `remove`
 * refuses them, and `replaceSecret` touches only confidential clients while they are public.
 * Every other client is read on every call, as before, so a removed client or a replaced
 * secret is seen by the next request. The CLI's refresh and device grants look their client
 * up on every request: this spares that database read.
 *
 * @example
 * const clients = rememberBuiltInClients(createSqliteClientRegistry(db));
 */
export function rememberBuiltInClients(registry: ClientRegistry): ClientRegistry {
  const remembered = new Map<string, Client>();
  const remember = (client: Client | undefined) => {
    if (client?.builtIn && client.type === 'public') remembered.set(client.clientId, client);
    return client;
  };
  return {
    ...registry,
    find: async (clientId) => remembered.get(clientId) ?? remember(await registry.find(clientId)),
    async findWithSecretHashes(clientId) {
      const known = remembered.get(clientId);
      if (known) return { client: known, secretHashes: undefined };
      const found = await registry.findWithSecretHashes(clientId);
      remember(found?.client);
      return found;
    },
  };
}
