import { createPostgresSessionStore } from '../../src/db/postgres/postgres-session-store.js';
import type { SessionLifetimes } from '../../src/sessions/session-store.js';
import { postgresAdapter } from './postgres-adapter.js';
import { CONTRACT_LIFETIMES, sessionStoreContract } from './session-store-contract.js';
import { LISTING_LIFETIMES, sessionListingContract } from './session-listing-contract.js';

const opener = (lifetimes: SessionLifetimes) => (now: () => number) =>
  postgresAdapter((db) => createPostgresSessionStore(db, lifetimes, now))();

sessionStoreContract('postgres', opener(CONTRACT_LIFETIMES));
sessionListingContract('postgres', opener(LISTING_LIFETIMES));
