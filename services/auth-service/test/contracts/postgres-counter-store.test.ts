import { createPostgresCounterStore } from '../../src/db/postgres/postgres-counter-store.js';
import { counterStoreContract } from './counter-store-contract.js';
import { postgresAdapter } from './postgres-adapter.js';

counterStoreContract('postgres', postgresAdapter(createPostgresCounterStore));
