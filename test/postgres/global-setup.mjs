/**
 * Jest globalSetup: one PostgreSQL server for the run (postgres-server.mjs), unless
 * TEST_DATABASE_URL names one already. Its URL reaches every test worker as
 * TEST_DATABASE_URL; each test takes a schema of its own (postgres-schema.ts).
 */
import { startPostgres } from './postgres-server.mjs';

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) return;
  const server = await startPostgres();
  process.env.TEST_DATABASE_URL = server.url;
  globalThis.gatehousePostgres = server;
}
