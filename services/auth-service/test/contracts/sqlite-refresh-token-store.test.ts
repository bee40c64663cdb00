import { createSqliteRefreshTokenStore } from '../../src/db/sqlite/sqlite-refresh-token-store.js';
import { refreshTokenStoreContract } from './refresh-token-store-contract.js';
import { sqliteAdapter } from './sqlite-adapter.js';

refreshTokenStoreContract('sqlite', sqliteAdapter(createSqliteRefreshTokenStore));
