import { createSqliteDeviceAuthorizationStore } from '../../src/db/sqlite/sqlite-device-authorization-store.js';
import { deviceAuthorizationStoreContract } from './device-authorization-store-contract.js';
import { sqliteAdapter } from './sqlite-adapter.js';

deviceAuthorizationStoreContract('sqlite', sqliteAdapter(createSqliteDeviceAuthorizationStore));
