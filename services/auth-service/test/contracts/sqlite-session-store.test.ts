import { openDatabase } from '../../src/db/sqlite/open-database.js';
import { createSqliteSessionStore } from '../../src/db/sqlite/sqlite-session-store.js';
import { createSqliteUserDirectory } from '../../src/db/sqlite/sqlite-user-directory.js';
import { CONTRACT_LIFETIMES, sessionStoreContract } from './session-store-contract.js';
import { sessionUserContract } from './session-user-contract.js';

sessionStoreContract('sqlite', async (now) => {
  const db = openDatabase(':memory:');
  return {
    store: createSqliteSessionStore(db, CONTRACT_LIFETIMES, now),
    close: async () => db.close(),
  };
});
sessionUserContract('sqlite', async (now) => {
  const db = openDatabase(':memory:');
  return {
    store: {
      sessions: createSqliteSessionStore(db, CONTRACT_LIFETIMES, now),
      directory: createSqliteUserDirectory(db),
    },
    close: async () => db.close(),
  };
});
