import type { LinkedIdentity, UserDirectory } from '../../users/user-directory.js';
import type { ProviderCredential, ReadGroups } from '../kinds/provider-kind.js';
import { isSignInError } from '../sign-in-error.js';
import type { CredentialSeal } from './credential-seal.js';
import type { RereadSource } from './reread-roles.js';
import type { RoleMap } from './role-map.js';

/** A failed re-read with the `code` createRoleRereader switches on; never a token in it. */
export class CredentialReadError extends Error {
  override readonly name = 'CredentialReadError';
  constructor(
    readonly code: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
  }
}

/** What a sealed credential is bound to: the identity's row. */
export function credentialContext(provider: string, subject: string): string {
  return `${provider}\n${subject}`;
}

/**
 * A re-read source (reread-roles.ts) that asks the provider with the credential kept from the
 * identity's sign-in (the kind's ReadGroups). Enforces:
 * - no credential, or one no session key opens (sealed before a key was dropped): refused
 *   (`no_credential`), roles dropped until the next sign-in keeps a new one;
 * - the provider refusing the credential or what it answers (a SignInError below 502):
 *   refused with the error's reason, and the credential cleared, so it is not tried again;
 * - the provider unreachable, timing out or failing (a SignInError of 502 or more), or not
 *   discovered yet: `unavailable`, an outage the rereader bounds;
 * - a credential the provider rotated is stored sealed in place of the one used, and a clear
 *   or a rotation only replaces the credential read (compare-and-set), never one a newer
 *   sign-in or another replica stored meanwhile.
 */
export function credentialSource(options: {
  roleMap: RoleMap;
  /** The kind's reader once the provider's endpoints are known, else undefined. */
  reader: () => ReadGroups | undefined;
  seal: CredentialSeal;
  directory: Pick<UserDirectory, 'providerCredential' | 'setProviderCredential'>;
}): RereadSource {
  const { seal, directory } = options;
  return {
    roleMap: options.roleMap,
    async readGroups(identity: LinkedIdentity) {
      const { provider, subject } = identity;
      const context = credentialContext(provider, subject);
      const stored = await directory.providerCredential(provider, subject);
      const credential = stored === null ? undefined : parse(seal.open(stored, context));
      if (credential === undefined) {
        throw new CredentialReadError(
          'no_credential',
          'no usable provider credential is kept for this identity',
        );
      }
      const read = options.reader();
      if (read === undefined) {
        throw new CredentialReadError('unavailable', 'the provider has not been discovered yet');
      }
      let answer: Awaited<ReturnType<ReadGroups>>;
      try {
        answer = await read(subject, credential);
      } catch (err) {
        if (!isSignInError(err)) throw err;
        if (err.status >= 502) {
          throw new CredentialReadError('unavailable', err.message, { cause: err });
        }
        await directory.setProviderCredential(provider, subject, null, stored);
        // Never `unavailable`, whatever word the provider chose: this is a refusal.
        const code = err.reason === 'unavailable' ? 'refused' : err.reason;
        throw new CredentialReadError(code, err.message, { cause: err });
      }
      if (answer.credential !== undefined) {
        const next = seal.seal(JSON.stringify(answer.credential), context);
        await directory.setProviderCredential(provider, subject, next, stored);
      }
      return answer.groups;
    },
  };
}

function parse(opened: string | undefined): ProviderCredential | undefined {
  if (opened === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(opened);
    return value !== null && typeof value === 'object' ? (value as ProviderCredential) : undefined;
  } catch {
    return undefined;
  }
}
