/**
 * The identity (provider, subject) is already linked to another directory entry: one identity
 * belongs to one person, so it is never moved silently.
 */
export class IdentityTakenError extends Error {
  readonly code = 'identity_taken';
  constructor(
    readonly provider: string,
    readonly subject: string,
  ) {
    super(`identity ${provider} ${subject} is linked to another user`);
    this.name = 'IdentityTakenError';
  }
}
