import type { EventEmitter } from 'node:events';
import type Provider from 'oidc-provider';
import type { Logger } from '@gatehouse/shared';

/** oidc-provider events that mean "a relying party's request was refused". */
const REFUSALS = [
  'authorization.error',
  'grant.error',
  'userinfo.error',
  'discovery.error',
  'jwks.error',
] as const;

/**
 * Sends oidc-provider's own error events to the service log, so a developer sees why a
 * sign-in was refused (a redirect_uri that is not registered, a wrong code_verifier).
 * Only the OAuth error code and description are logged: never a parameter, code or token.
 */
export function logProviderErrors(provider: Provider, logger: Logger): void {
  // The typed overloads list each event separately; one listener serves them all.
  const events: EventEmitter = provider;
  for (const event of REFUSALS) {
    events.on(event, (_ctx: unknown, err: { error?: string; error_description?: string }) => {
      logger.info(
        { event, error: err.error, error_description: err.error_description },
        'request refused by the OpenID provider',
      );
    });
  }
  events.on('server_error', (_ctx: unknown, err: Error) => {
    logger.error({ err }, 'OpenID provider failed');
  });
}
