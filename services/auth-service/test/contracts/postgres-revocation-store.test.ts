import { createPostgresRevocationStore } from '../../src/db/postgres/postgres-revocation-store.js';
import { postgresAdapter } from './postgres-adapter.js';
import { revocationStoreContract } from './revocation-store-contract.js';

// Settle window 0: the contract reads right after writing; the window itself is tested in
// postgres-feed-cursor.test.ts.
revocationStoreContract(
  'postgres',
  postgresAdapter((db) => createPostgresRevocationStore(db, 0)),
);
