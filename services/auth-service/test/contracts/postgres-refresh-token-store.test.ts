import { createPostgresRefreshTokenStore } from '../../src/db/postgres/postgres-refresh-token-store.js';
import { postgresAdapter } from './postgres-adapter.js';
import { refreshFamilyListingContract } from './refresh-family-listing-contract.js';
import { refreshTokenStoreContract } from './refresh-token-store-contract.js';

refreshTokenStoreContract('postgres', postgresAdapter(createPostgresRefreshTokenStore));
refreshFamilyListingContract('postgres', postgresAdapter(createPostgresRefreshTokenStore));
