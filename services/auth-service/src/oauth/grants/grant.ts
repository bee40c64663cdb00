import type { Logger } from '@gatehouse/shared';
import type { RequestSource } from '../../http/request-source.js';
import type { Client, GrantType } from '../clients/client.js';

/** The token endpoint's success body (RFC 6749 section 5.1). */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly refresh_token?: string;
  readonly scope?: string;
}

/** What every grant step sees besides its own parameters. */
export interface GrantContext {
  /** The registered client named by `client_id`, already allowed this grant. */
  readonly client: Client;
  readonly log: Logger;
  /** Where the token request came from; grants record it for the account page. */
  readonly from: RequestSource;
}

/**
 * One OAuth grant the token endpoint dispatches to by `grant_type`. Three steps, each its own
 * concern: `parse` reads the form (400 `invalid_request` for a missing parameter), `authorize`
 * decides (the grant's own errors: `invalid_grant`, RFC 8628's `authorization_pending`, ...),
 * `issue` signs what was decided. A new grant is a new file listed in grants/index.ts.
 */
export interface Grant<Params, Authorized> {
  readonly type: GrantType;
  parse(form: URLSearchParams): Params;
  authorize(params: Params, context: GrantContext): Authorized | Promise<Authorized>;
  issue(authorized: Authorized, context: GrantContext): Promise<TokenResponse>;
}
