/** What grant keeps in the session between `/auth/connect/<id>` and its callback. */
export interface PendingGrant {
  provider?: string;
  state?: string;
  nonce?: string;
  code_verifier?: string;
  /**
   * Set by grant (transport `session`): the authorization URL after connect, then on the
   * callback the token response or an error.
   */
  response?:
    | string
    | {
        id_token?: unknown;
        access_token?: unknown;
        /** Kept sealed when the provider re-reads groups (roles/provider-roles.ts). */
        refresh_token?: unknown;
        error?: unknown;
      };
}

/** A session while a sign-in is in progress. */
export interface PendingSession {
  returnTo?: string;
  grant?: PendingGrant;
  /**
   * Set by the account page's "link another provider" in a signed-in session: the callback
   * links the identity to this user instead of signing in (link-identity.ts).
   */
  linkTo?: string;
}
