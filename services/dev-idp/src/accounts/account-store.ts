import type { Account, FindAccount } from 'oidc-provider';
import { googleClaims, subjectForEmail, type DevProfile } from './google-claims.js';

/** The accounts developers have signed in as since start-up, keyed by subject. */
export interface AccountStore {
  /** Records the profile typed on the sign-in page and returns its subject (the accountId). */
  remember(profile: DevProfile): string;
  /** The profile last recorded for `sub`. */
  profileOf(sub: string): DevProfile | undefined;
  /** oidc-provider's `findAccount`: claims come from the latest profile for the subject. */
  findAccount: FindAccount;
}

/**
 * In memory on purpose: the subject is derived from the email, so a restart forgets only
 * names and flags, never identities. Signing in again with the same email but another name
 * or verification flag replaces the stored profile (the latest sign-in wins).
 */
export function createAccountStore(): AccountStore {
  const profiles = new Map<string, DevProfile>();
  return {
    remember(profile) {
      const sub = subjectForEmail(profile.email);
      profiles.set(sub, { ...profile });
      return sub;
    },
    profileOf: (sub) => profiles.get(sub),
    findAccount(_ctx, sub): Account | undefined {
      const profile = profiles.get(sub);
      if (!profile) return undefined;
      return { accountId: sub, claims: () => googleClaims(profile) };
    },
  };
}
