import { createSqliteRefreshTokenStore } from '../../src/db/sqlite/sqlite-refresh-token-store.js';
import { refreshFamilyListingContract } from './refresh-family-listing-contract.js';
import { sqliteAdapter } from './sqlite-adapter.js';

refreshFamilyListingContract('sqlite', sqliteAdapter(createSqliteRefreshTokenStore));
