import { silentLogger } from '@gatehouse/shared';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningDevIdp } from '../../src/server.js';

/** A dev-idp on port 0 whose issuer is the URL it listens on. */
export function startDevIdp(env: Record<string, string> = {}): Promise<RunningDevIdp> {
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', ...env });
  return startServer(config, { logger: silentLogger() }, { issuerFromListenUrl: true });
}
