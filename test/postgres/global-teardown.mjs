/** Jest globalTeardown: stops the server global-setup.mjs started, and deletes its data. */
export default async function globalTeardown() {
  globalThis.gatehousePostgres?.close();
}
