import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Fixed HKDF `info`: keys derived for credentials never equal the cookie-signing keys. */
const INFO = 'gatehouse provider credential v1';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals provider credentials at rest; see createCredentialSeal. */
export interface CredentialSeal {
  /** `plaintext` sealed under the newest key, bound to `context`: `v1.<iv>.<ciphertext+tag>`. */
  seal(plaintext: string, context: string): string;
  /**
   * The plaintext, trying every key (newest first); undefined when none opens it (a key
   * dropped from SESSION_KEYS, another row's value, altered or malformed data).
   */
  open(sealed: string, context: string): string | undefined;
}

/**
 * AES-256-GCM under keys derived (HKDF-SHA256, a fixed info string) from the session keys,
 * newest first, as SESSION_KEYS lists them: seals with the first, opens with any, so a
 * rotation (a new key first, the old one kept second) keeps stored credentials readable, and
 * a credential sealed only under a dropped key counts as none. `context` (the identity) is
 * associated data: a value copied onto another identity's row does not open.
 *
 * @example
 * const seal = createCredentialSeal(config.session.keys);
 * const stored = seal.seal('{"refresh_token":"..."}', 'okta\n00u1');
 * seal.open(stored, 'okta\n00u1'); // '{"refresh_token":"..."}'
 */
export function createCredentialSeal(sessionKeys: readonly string[]): CredentialSeal {
  if (sessionKeys.length === 0) {
    throw new TypeError('"sessionKeys" must hold at least one key, e.g. config.session.keys');
  }
  const keys = sessionKeys.map((key) =>
    Buffer.from(hkdfSync('sha256', Buffer.from(key, 'utf8'), Buffer.alloc(0), INFO, 32)),
  );
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys[0]!, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const sealed = Buffer.concat([body, cipher.getAuthTag()]);
      return `${VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
    },
    open(sealed, context) {
      const [version, ivText, bodyText, extra] = sealed.split('.');
      if (version !== VERSION || !ivText || !bodyText || extra !== undefined) return undefined;
      const iv = Buffer.from(ivText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      if (iv.length !== IV_BYTES || body.length < TAG_BYTES) return undefined;
      for (const key of keys) {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(body.subarray(-TAG_BYTES));
        try {
          return Buffer.concat([
            decipher.update(body.subarray(0, -TAG_BYTES)),
            decipher.final(),
          ]).toString('utf8');
        } catch {
          // Not this key's: try the next.
        }
      }
      return undefined;
    },
  };
}
