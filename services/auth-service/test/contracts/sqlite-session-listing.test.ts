import { createSqliteSessionStore } from '../../src/db/sqlite/sqlite-session-store.js';
import { openDatabase } from '../../src/db/sqlite/open-database.js';
import { LISTING_LIFETIMES, sessionListingContract } from './session-listing-contract.js';

sessionListingContract('sqlite', async (now) => {
  const db = openDatabase(':memory:');
  return {
    store: createSqliteSessionStore(db, LISTING_LIFETIMES, now),
    close: async () => db.close(),
  };
});
