import { openDatabase } from '../../src/db/sqlite/open-database.js';
import { createSqliteSessionStore } from '../../src/db/sqlite/sqlite-session-store.js';
import { CONTRACT_LIFETIMES, sessionStoreContract } from './session-store-contract.js';

sessionStoreContract('sqlite', async (now) => {
  const db = openDatabase(':memory:');
  return {
    store: createSqliteSessionStore(db, CONTRACT_LIFETIMES, now),
    close: async () => db.close(),
  };
});
