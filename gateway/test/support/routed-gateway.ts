import type { GatewayDeps } from '../../src/app.js';
import { startGateway, type TestGateway } from './gateway.js';
import { ISSUER_PUBLIC_URL, testIssuer } from './issuer.js';
import { tempRoutesFile } from './routes-file.js';
import { startUpstream, type TestUpstream } from './upstream.js';

/** A gateway with ROUTES_FILE in front of one upstream, and the test issuer as its auth-service. */
export interface RoutedGateway {
  readonly issuer: Awaited<ReturnType<typeof testIssuer>>;
  /** The stand-in auth-service (the issuer's JWKS; echoes the rest). */
  readonly auth: TestUpstream;
  readonly gateway: TestGateway;
  close(): Promise<void>;
}

/**
 * Starts the test issuer as the auth-service and a gateway (PUBLIC_URL `ISSUER_PUBLIC_URL`,
 * revocation off) whose routes file is `routes`; `upstream` is what the routes point at, closed
 * with the rest.
 *
 * @example
 * const app = await startUpstream();
 * const { gateway, issuer, close } = await startRoutedGateway(
 *   `routes:\n  - { name: dash, path: /dash, to: ${app.url}, auth: session }\n`, app,
 * );
 */
export async function startRoutedGateway(
  routes: string,
  upstream: { close(): Promise<void> },
  options: { env?: Record<string, string>; deps?: Partial<GatewayDeps> } = {},
): Promise<RoutedGateway> {
  const issuer = await testIssuer();
  const auth = await startUpstream(issuer.handler);
  const file = tempRoutesFile(routes);
  const gateway = await startGateway(
    {
      AUTH_SERVICE_URL: auth.url,
      PUBLIC_URL: ISSUER_PUBLIC_URL,
      ROUTES_FILE: file.path,
      REVOCATION_CHECK: 'off',
      ...options.env,
    },
    options.deps,
  );
  return {
    issuer,
    auth,
    gateway,
    async close() {
      await gateway.close();
      await Promise.all([auth.close(), upstream.close()]);
      file.remove();
    },
  };
}
