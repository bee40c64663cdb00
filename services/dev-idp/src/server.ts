import type { RequestListener } from 'node:http';
import { serve, type RunningServer } from '@gatehouse/shared';
import { createApp, type AppDeps } from './app.js';
import type { Config } from './config.js';

export interface RunningDevIdp extends RunningServer {
  /** The issuer the provider publishes (the listen URL with `issuerFromListenUrl`). */
  readonly issuer: string;
}

/**
 * Listens and announces, loudly, that this is a development identity provider.
 *
 * `issuerFromListenUrl` is for tests on port 0: the issuer (and every endpoint in the
 * discovery document) becomes the URL actually listened on, which is only known after
 * listening, so the app is built then and requests before that get a 503.
 */
export async function startServer(
  config: Config,
  deps: AppDeps,
  options: { issuerFromListenUrl?: boolean } = {},
): Promise<RunningDevIdp> {
  if (!options.issuerFromListenUrl) {
    const running = await serve(createApp(config, deps).callback(), {
      port: config.port,
      host: config.host,
      limits: config.limits,
    });
    announce(config, deps);
    return { ...running, issuer: config.issuer };
  }
  let handler: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const running = await serve((req, res) => handler(req, res), {
    port: config.port,
    host: config.host,
    limits: config.limits,
  });
  try {
    const listening = { ...config, issuer: running.url };
    handler = createApp(listening, deps).callback();
    announce(listening, deps);
    return { ...running, issuer: running.url };
  } catch (err) {
    await running.close();
    throw err;
  }
}

function announce(config: Config, deps: AppDeps): void {
  deps.logger.warn(
    {
      issuer: config.issuer,
      client_id: config.client.clientId,
      redirect_uris: config.client.redirectUris,
    },
    'DEVELOPMENT IDENTITY PROVIDER: anyone can sign in as anyone. For local development and tests only; never expose it or use it in production',
  );
  deps.logger.info(
    { discovery: `${config.issuer}/.well-known/openid-configuration` },
    'dev-idp ready: point the auth-service GOOGLE_ISSUER at this issuer',
  );
}
