import { createSqliteUserDirectory } from '../../src/db/sqlite/sqlite-user-directory.js';
import { sqliteAdapter } from './sqlite-adapter.js';
import { userDirectoryContract } from './user-directory-contract.js';

userDirectoryContract('sqlite', sqliteAdapter(createSqliteUserDirectory));
