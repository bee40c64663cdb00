import { unseal, seal, type EncryptionKey } from '../../keys/key-encryption.js';
import type { StoredKey } from '../../keys/key-directory.js';
import type { KeyListing, KeyProblem, KeyRepository } from '../../keys/key-repository.js';
import { parsePrivateJwk, SigningKeyError } from '../../keys/signing-key.js';
import type { Database, Query } from './postgres-pool.js';

/** The transaction-level advisory lock of `exclusive` ("gatekeys" as a 64-bit number). */
const KEYS_LOCK = 0x676174656b657973n.toString();

/**
 * Signing keys in PostgreSQL (table `signing_keys`), private JWKs sealed with AES-256-GCM
 * under KEY_ENCRYPTION_KEY (keys/key-encryption.ts), the kid bound as associated data. Every
 * replica lists the same rows, so a rotation through the keys CLI on any of them reaches all
 * at their next refresh (one second). Rows never change except by `reencrypt`, so each is
 * decrypted once per (kid, encryption key id). `exclusive` holds an advisory lock for one
 * transaction, and its work reads and writes through that transaction's connection, so it
 * needs no second connection from the pool.
 *
 * @example
 * const repository = createPostgresKeyRepository(db, config.database.encryptionKeys);
 * const { keys } = await repository.list();
 */
export function createPostgresKeyRepository(
  db: Pick<Database, 'query' | 'transaction'>,
  encryptionKeys: readonly EncryptionKey[],
): KeyRepository {
  const opened = new Map<string, StoredKey>();
  const over = (query: Query, inLock: boolean): KeyRepository => {
    const repository: KeyRepository = {
      location: 'PostgreSQL table signing_keys',
      list: () => listRows(query, encryptionKeys, opened),
      async add(key) {
        requireEncryptionKeys(encryptionKeys);
        const sealed = seal(encryptionKeys, JSON.stringify(key.privateJwk), key.kid);
        await query(
          `INSERT INTO signing_keys (kid, alg, encryption_key_id, iv, ciphertext, created_at,
             activates_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            key.kid,
            key.alg,
            sealed.keyId,
            sealed.iv,
            sealed.ciphertext,
            key.createdAt,
            key.activatesAt,
          ],
        );
      },
      async remove(kid) {
        await query('DELETE FROM signing_keys WHERE kid = $1', [kid]);
      },
      exclusive: inLock
        ? // Already inside the lock: nested work runs in the same transaction.
          (work) => work(repository)
        : (work) =>
            db.transaction(async (locked) => {
              await locked('SELECT pg_advisory_xact_lock($1)', [KEYS_LOCK]);
              return work(over(locked, true));
            }),
    };
    return repository;
  };
  return over(db.query, false);
}

/**
 * Every row, opened with `encryptionKeys`; `opened` caches what was decrypted before and
 * forgets rows that are gone.
 */
async function listRows(
  query: Query,
  encryptionKeys: readonly EncryptionKey[],
  opened: Map<string, StoredKey>,
): Promise<KeyListing> {
  const rows = await query('SELECT * FROM signing_keys ORDER BY kid');
  const keys: StoredKey[] = [];
  const problems: KeyProblem[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const kid = String(row.kid);
    const cacheKey = `${kid}/${String(row.encryption_key_id)}`;
    seen.add(cacheKey);
    let key = opened.get(cacheKey);
    if (!key) {
      try {
        key = openRow(row, encryptionKeys);
      } catch (err) {
        problems.push({ name: kid, error: err as Error });
        continue;
      }
      opened.set(cacheKey, key);
    }
    keys.push(key);
  }
  for (const cacheKey of opened.keys()) if (!seen.has(cacheKey)) opened.delete(cacheKey);
  return { keys, problems };
}

/**
 * Seals every key again under the first KEY_ENCRYPTION_KEY entry (after adding a new one in
 * front), so the older entry can be dropped. Resolves to how many rows were re-sealed; a row
 * it cannot open stops it with that row's kid, before anything is written.
 */
export async function reencryptSigningKeys(
  db: Database,
  encryptionKeys: readonly EncryptionKey[],
): Promise<number> {
  requireEncryptionKeys(encryptionKeys);
  const target = encryptionKeys[0]!.id;
  return db.transaction(async (query) => {
    const rows = await query(
      'SELECT * FROM signing_keys WHERE encryption_key_id <> $1 ORDER BY kid FOR UPDATE',
      [target],
    );
    const resealed = rows.map((row) => {
      const key = openRow(row, encryptionKeys);
      return {
        kid: key.kid,
        sealed: seal(encryptionKeys, JSON.stringify(key.privateJwk), key.kid),
      };
    });
    for (const { kid, sealed } of resealed) {
      await query(
        'UPDATE signing_keys SET encryption_key_id = $1, iv = $2, ciphertext = $3 WHERE kid = $4',
        [sealed.keyId, sealed.iv, sealed.ciphertext, kid],
      );
    }
    return resealed.length;
  });
}

function openRow(
  row: Record<string, unknown>,
  encryptionKeys: readonly EncryptionKey[],
): StoredKey {
  const kid = String(row.kid);
  let jwk: unknown;
  try {
    const json = unseal(
      encryptionKeys,
      {
        keyId: String(row.encryption_key_id),
        iv: row.iv as Buffer,
        ciphertext: row.ciphertext as Buffer,
      },
      kid,
    );
    jwk = JSON.parse(json);
  } catch (err) {
    throw new SigningKeyError(`signing key ${kid}: ${(err as Error).message}`);
  }
  const key = parsePrivateJwk(jwk);
  if (key.kid !== kid)
    throw new SigningKeyError(`signing key ${kid}: the row holds kid ${key.kid}`);
  return { ...key, createdAt: Number(row.created_at), activatesAt: Number(row.activates_at) };
}

function requireEncryptionKeys(encryptionKeys: readonly EncryptionKey[]): void {
  if (encryptionKeys.length === 0) {
    throw new SigningKeyError(
      'KEY_ENCRYPTION_KEY is required to store signing keys in PostgreSQL, e.g. `main:$(openssl rand -base64 32)`',
    );
  }
}
