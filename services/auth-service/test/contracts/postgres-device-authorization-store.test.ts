import { createPostgresDeviceAuthorizationStore } from '../../src/db/postgres/postgres-device-authorization-store.js';
import { deviceAuthorizationStoreContract } from './device-authorization-store-contract.js';
import { postgresAdapter } from './postgres-adapter.js';

deviceAuthorizationStoreContract(
  'postgres',
  postgresAdapter(createPostgresDeviceAuthorizationStore),
);
