import { runService } from '@gatehouse/shared';
import { envSpecFor, loadConfig } from './config.js';
import { findMissingSigner } from './keys/missing-signer.js';
import { startServer } from './server.js';

// Start-up can find problems configuration alone cannot (no signing key in production):
// startServer throws a ConfigError for those, which runService prints before exiting 1.
await runService({
  service: 'auth-service',
  loadConfig,
  variables: (env) => Object.keys(envSpecFor(env)),
  startProblems: (env) => {
    if (env.NODE_ENV !== 'production' || env.SIGNING_KEYS) return [];
    // Retention only matters for retired keys; whether a key is active does not depend on it.
    const problem = findMissingSigner(env.DATA_DIR || './data', Date.now(), 0);
    return problem ? [problem] : [];
  },
  start: async (config, logger) => {
    const running = await startServer(config, { logger });
    return { close: () => running.close(config.shutdownTimeoutMs) };
  },
});
