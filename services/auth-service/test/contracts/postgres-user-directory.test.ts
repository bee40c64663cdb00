import { createPostgresUserDirectory } from '../../src/db/postgres/postgres-user-directory.js';
import { postgresAdapter } from './postgres-adapter.js';
import { userDirectoryContract } from './user-directory-contract.js';

userDirectoryContract('postgres', postgresAdapter(createPostgresUserDirectory));
