import type { Client, ClientRegistry, GrantType } from '../clients/client.js';
import { oauthError, requireParam } from './oauth-error.js';

/**
 * The client behind an OAuth request. Public clients authenticate by `client_id` alone
 * (RFC 6749 section 2.1); an unknown one is 401 `invalid_client`, one not registered for
 * `grantType` 400 `unauthorized_client`.
 */
export async function authenticateClient(
  clients: Pick<ClientRegistry, 'find'>,
  form: URLSearchParams,
  grantType?: GrantType,
): Promise<Client> {
  const clientId = requireParam(form, 'client_id');
  const client = await clients.find(clientId);
  if (!client) throw oauthError('invalid_client', `unknown client "${clientId}"`, 401);
  if (grantType !== undefined && !client.grantTypes.includes(grantType)) {
    throw oauthError(
      'unauthorized_client',
      `client "${clientId}" may not use the ${grantType} grant`,
    );
  }
  return client;
}
