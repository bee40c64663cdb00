import { createSqliteClientRegistry } from '../../src/db/sqlite/sqlite-client-registry.js';
import { rememberBuiltInClients } from '../../src/oauth/clients/remember-built-in-clients.js';
import { clientRegistryContract } from './client-registry-contract.js';
import { sqliteAdapter } from './sqlite-adapter.js';

// The registry the service runs with (db/open-stores.ts) keeps every adapter promise.
clientRegistryContract(
  'sqlite, built-in clients remembered',
  sqliteAdapter((db) => rememberBuiltInClients(createSqliteClientRegistry(db))),
);
