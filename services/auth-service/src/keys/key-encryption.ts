import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

/** One KEY_ENCRYPTION_KEY entry: an id stored beside each ciphertext, and 32 bytes of key. */
export interface EncryptionKey {
  readonly id: string;
  /** A secret KeyObject (not a Buffer: the configuration is deep-frozen). */
  readonly key: KeyObject;
}

/** A private key sealed with AES-256-GCM under the encryption key `keyId`. */
export interface SealedSecret {
  readonly keyId: string;
  /** 12 bytes, fresh for every seal. */
  readonly iv: Buffer;
  /** The ciphertext followed by the 16-byte GCM tag. */
  readonly ciphertext: Buffer;
}

const ID = /^[A-Za-z0-9._-]{1,64}$/;
const TAG_BYTES = 16;

/**
 * Parses KEY_ENCRYPTION_KEY entries (`id:base64`, 32 bytes each, ids unique); the first is the
 * one that encrypts. Throws with a message naming what is wrong, never echoing a key.
 *
 * @example
 * parseEncryptionKeys(['2026-12:' + randomBytes(32).toString('base64')]);
 */
export function parseEncryptionKeys(entries: readonly string[]): EncryptionKey[] {
  if (entries.length === 0) throw new Error('must name at least one id:base64 key');
  const keys = entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const id = entry.slice(0, colon);
    if (colon < 0 || !ID.test(id)) {
      throw new Error(
        `entry ${index + 1} must be id:base64 with an id of letters, digits, '.', '_' or '-'`,
      );
    }
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== 32) {
      throw new Error(
        `entry ${index + 1} (${id}) must hold 32 bytes of base64, e.g. \`openssl rand -base64 32\``,
      );
    }
    return { id, key: createSecretKey(key) };
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new Error('ids must be unique');
  return keys;
}

/**
 * Seals `plaintext` with the first key; `context` (the kid) is bound as associated data, so a
 * ciphertext copied onto another row does not open.
 */
export function seal(
  keys: readonly EncryptionKey[],
  plaintext: string,
  context: string,
): SealedSecret {
  const current = keys[0]!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: current.id, iv, ciphertext: Buffer.concat([body, cipher.getAuthTag()]) };
}

/** Opens a sealed secret with the key it names; throws when that key is not configured or the data was altered. */
export function unseal(
  keys: readonly EncryptionKey[],
  sealed: SealedSecret,
  context: string,
): string {
  const key = keys.find((k) => k.id === sealed.keyId);
  if (key === undefined) {
    throw new Error(
      `encrypted with KEY_ENCRYPTION_KEY id "${sealed.keyId}", which is not configured`,
    );
  }
  const body = sealed.ciphertext.subarray(0, -TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.iv, {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(sealed.ciphertext.subarray(-TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new Error(`does not decrypt with KEY_ENCRYPTION_KEY id "${key.id}"`, { cause: err });
  }
}
