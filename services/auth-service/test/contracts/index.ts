/**
 * Every store contract suite, for another adapter's *.test.ts: call a suite with the adapter's
 * name and an opener returning a fresh, empty store and its `close`.
 */
export { clientRegistryContract } from './client-registry-contract.js';
export { counterStoreContract } from './counter-store-contract.js';
export { deviceAuthorizationStoreContract } from './device-authorization-store-contract.js';
export { keyRepositoryContract } from './key-repository-contract.js';
export type { OpenAdapter } from './open-adapter.js';
export { refreshTokenStoreContract } from './refresh-token-store-contract.js';
export { revocationStoreContract } from './revocation-store-contract.js';
export {
  CONTRACT_LIFETIMES,
  sessionStoreContract,
  type OpenSessionStore,
} from './session-store-contract.js';
export { userDirectoryContract } from './user-directory-contract.js';
