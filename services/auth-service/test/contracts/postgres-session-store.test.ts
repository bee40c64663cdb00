import { createPostgresSessionStore } from '../../src/db/postgres/postgres-session-store.js';
import { createPostgresUserDirectory } from '../../src/db/postgres/postgres-user-directory.js';
import type { SessionLifetimes } from '../../src/sessions/session-store.js';
import { postgresAdapter } from './postgres-adapter.js';
import { CONTRACT_LIFETIMES, sessionStoreContract } from './session-store-contract.js';
import { LISTING_LIFETIMES, sessionListingContract } from './session-listing-contract.js';
import { sessionUserContract } from './session-user-contract.js';

const opener = (lifetimes: SessionLifetimes) => (now: () => number) =>
  postgresAdapter((db) => createPostgresSessionStore(db, lifetimes, now))();

sessionStoreContract('postgres', opener(CONTRACT_LIFETIMES));
sessionListingContract('postgres', opener(LISTING_LIFETIMES));
sessionUserContract('postgres', (now) =>
  postgresAdapter((db) => ({
    sessions: createPostgresSessionStore(db, CONTRACT_LIFETIMES, now),
    directory: createPostgresUserDirectory(db),
  }))(),
);
