import { createSqliteClientRegistry } from '../../src/db/sqlite/sqlite-client-registry.js';
import { clientRegistryContract } from './client-registry-contract.js';
import { sqliteAdapter } from './sqlite-adapter.js';

clientRegistryContract('sqlite', sqliteAdapter(createSqliteClientRegistry));
