/**
 * Why Workspace groups could not be read, as callers switch on it:
 * - `unavailable`: the token endpoint or the Directory API did not answer usably (network,
 *   timeout, 429, 5xx, a malformed answer): an outage, the answer may differ in a minute;
 * - `refused`: the Directory API refused to list this user's groups (404 user unknown, 403
 *   not in a domain the admin manages, 400): fail closed for this user;
 * - `credentials_refused`: the token endpoint refused the service account's assertion (a
 *   wrong or deleted key, domain-wide delegation not granted for the scope, an admin email
 *   that is not an admin): fail closed, and an operator must fix the configuration;
 * - `too_many_groups`: more pages than the cap; fail closed rather than map a partial list.
 */
export type WorkspaceGroupsCode =
  'unavailable' | 'refused' | 'credentials_refused' | 'too_many_groups';

/**
 * A Workspace groups failure with a stable `code` and, when the failure was an HTTP answer,
 * its `status`. Messages name the endpoint and status, never a key, an assertion or a token.
 */
export class WorkspaceGroupsError extends Error {
  override readonly name = 'WorkspaceGroupsError';
  readonly code: WorkspaceGroupsCode;
  readonly status: number | undefined;

  constructor(
    code: WorkspaceGroupsCode,
    message: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.code = code;
    this.status = options.status;
  }
}
