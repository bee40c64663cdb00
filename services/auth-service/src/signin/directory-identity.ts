import type { Identity } from '../users/user-directory.js';
import type { VerifiedIdentity } from './kinds/verified-identity.js';
import { SignInError } from './sign-in-error.js';

/**
 * What the directory keeps of a verified identity, at sign-in and at linking alike: its email
 * only when the provider verified it (an entry's email is replaced by verified ones only).
 */
export function directoryIdentity(identity: VerifiedIdentity): Identity {
  return {
    provider: identity.provider,
    issuer: identity.issuer,
    subject: identity.subject,
    email: identity.emailVerified ? identity.email : null,
    name: identity.name,
    picture: identity.picture,
  };
}

/** 403 `identity_taken`: the identity is another user's (one identity, one person). */
export function identityTaken(cause?: unknown): SignInError {
  return new SignInError(
    403,
    'access_denied',
    'identity_taken',
    'this account at the provider is linked to another user',
    { cause },
  );
}
