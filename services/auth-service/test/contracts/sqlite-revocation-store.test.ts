import { createSqliteRevocationStore } from '../../src/db/sqlite/sqlite-revocation-store.js';
import { revocationStoreContract } from './revocation-store-contract.js';
import { sqliteAdapter } from './sqlite-adapter.js';

revocationStoreContract(
  'sqlite',
  sqliteAdapter((db) => createSqliteRevocationStore(db, Date.now)),
);
