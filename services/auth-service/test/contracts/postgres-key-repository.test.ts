import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  createPostgresKeyRepository,
  reencryptSigningKeys,
} from '../../src/db/postgres/postgres-key-repository.js';
import { migratePostgres } from '../../src/db/postgres/postgres-migrate.js';
import { openPool } from '../../src/db/postgres/postgres-pool.js';
import { parseEncryptionKeys } from '../../src/keys/key-encryption.js';
import type { KeyRepository } from '../../src/keys/key-repository.js';
import { openKeyStore } from '../../src/keys/open-key-store.js';
import { rotateSigningKey } from '../../src/keys/rotate-signing-key.js';
import { generatePrivateKey } from '../../src/keys/signing-alg.js';
import { signingKeyFromKeyObject } from '../../src/keys/signing-key.js';
import { manualClock, recordingLogger, tokenConfig } from '../support/key-fixtures.js';
import { freshSchema } from '../support/postgres-schema.js';
import { keyRepositoryContract } from './key-repository-contract.js';
import { postgresAdapter } from './postgres-adapter.js';

const encryptionKey = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const OLD = encryptionKey('old');
const NEW = encryptionKey('new');

keyRepositoryContract(
  'postgres',
  postgresAdapter((db) => createPostgresKeyRepository(db, parseEncryptionKeys([OLD]))),
);

const newKey = () => ({
  ...signingKeyFromKeyObject(generatePrivateKey('ES256'), 'ES256'),
  createdAt: 1,
  activatesAt: 2,
});

describe('signing keys at rest in PostgreSQL', () => {
  const withDb = postgresAdapter((db) => db);

  it('when a key is stored, then the row holds no private key material in the clear', async () => {
    const { store: db, close } = await withDb();
    try {
      const key = newKey();
      await createPostgresKeyRepository(db, parseEncryptionKeys([OLD])).add(key);
      const [row] = await db.query('SELECT * FROM signing_keys');
      const stored = JSON.stringify(row) + (row!.ciphertext as Buffer).toString('latin1');
      expect(stored).not.toContain(String(key.privateJwk.d));
      expect(row!.encryption_key_id).toBe('old');
    } finally {
      await close();
    }
  });

  it('when the encryption key is not configured, then the listing reports the row and names the key id', async () => {
    const { store: db, close } = await withDb();
    try {
      const key = newKey();
      await createPostgresKeyRepository(db, parseEncryptionKeys([OLD])).add(key);
      const listing = await createPostgresKeyRepository(db, parseEncryptionKeys([NEW])).list();
      expect(listing.keys).toEqual([]);
      expect(listing.problems[0]!.name).toBe(key.kid);
      expect(listing.problems[0]!.error.message).toContain('"old"');
    } finally {
      await close();
    }
  });

  it('when a ciphertext is moved onto another kid, then it does not open there', async () => {
    const { store: db, close } = await withDb();
    try {
      const keys = parseEncryptionKeys([OLD]);
      const repository = createPostgresKeyRepository(db, keys);
      const [a, b] = [newKey(), newKey()];
      await repository.add(a);
      await repository.add(b);
      await db.execute(
        `UPDATE signing_keys SET iv = src.iv, ciphertext = src.ciphertext
         FROM signing_keys src WHERE src.kid = $1 AND signing_keys.kid = $2`,
        [a.kid, b.kid],
      );
      const listing = await createPostgresKeyRepository(db, keys).list();
      expect(listing.keys.map((k) => k.kid)).toEqual([a.kid]);
      expect(listing.problems.map((p) => p.name)).toEqual([b.kid]);
    } finally {
      await close();
    }
  });

  it('when a new encryption key is put first and keys are re-encrypted, then the old one can be dropped', async () => {
    const { store: db, close } = await withDb();
    try {
      const key = newKey();
      await createPostgresKeyRepository(db, parseEncryptionKeys([OLD])).add(key);
      expect(await reencryptSigningKeys(db, parseEncryptionKeys([NEW, OLD]))).toBe(1);
      expect(await reencryptSigningKeys(db, parseEncryptionKeys([NEW, OLD]))).toBe(0);
      const listing = await createPostgresKeyRepository(db, parseEncryptionKeys([NEW])).list();
      expect(listing.problems).toEqual([]);
      expect(listing.keys).toEqual([key]);
    } finally {
      await close();
    }
  });
});

describe('replicas sharing the signing_keys table', () => {
  /** Two pools on one fresh schema, as two replicas have; closed and dropped afterwards. */
  async function twoReplicas(test: (repositories: KeyRepository[]) => Promise<void>) {
    const schema = await freshSchema();
    const pools = [0, 1].map(() => openPool({ url: schema.url, poolMax: 2, timeoutMs: 10_000 }));
    try {
      await Promise.all(pools.map((db) => migratePostgres(db)));
      await test(pools.map((db) => createPostgresKeyRepository(db, parseEncryptionKeys([OLD]))));
    } finally {
      await Promise.all(pools.map((db) => db.close()));
      await schema.drop();
    }
  }

  it('when two replicas start at once on an empty table, then one key is generated and both sign with it', () =>
    twoReplicas(async (repositories) => {
      const stores = await Promise.all(
        repositories.map((repository) =>
          openKeyStore({
            tokens: tokenConfig(),
            repository,
            production: false,
            now: manualClock().now,
            logger: recordingLogger().logger,
          }),
        ),
      );
      const kids = stores.map((store) => store.activeKey().kid);
      expect(kids[0]).toBe(kids[1]);
      expect((await repositories[0]!.list()).keys.map((key) => key.kid)).toEqual([kids[0]]);
    }));

  it('when two replicas rotate at once, then one rotation is refused as pending', async () => {
    await twoReplicas(async (repositories) => {
      const rotate = (repository: KeyRepository) =>
        rotateSigningKey({
          repository,
          alg: 'ES256',
          now: 1_000_000,
          publishDelayMs: 660_000,
          retainMs: 660_000,
        });
      await rotate(repositories[0]!); // the first key: signs at once
      const results = await Promise.allSettled(repositories.map(rotate));
      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((result) => result.status === 'rejected');
      expect((refused as PromiseRejectedResult).reason).toMatchObject({
        code: 'ERR_ROTATION_PENDING',
      });
      expect((await repositories[1]!.list()).keys).toHaveLength(2);
    });
  });
});
