import { createPostgresClientRegistry } from '../../src/db/postgres/postgres-client-registry.js';
import { clientRegistryContract } from './client-registry-contract.js';
import { postgresAdapter } from './postgres-adapter.js';

clientRegistryContract('postgres', postgresAdapter(createPostgresClientRegistry));
