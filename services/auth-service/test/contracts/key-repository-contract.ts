import { describe, expect, it } from '@jest/globals';
import type { StoredKey } from '../../src/keys/key-directory.js';
import type { KeyRepository } from '../../src/keys/key-repository.js';
import { generatePrivateKey, type SigningAlg } from '../../src/keys/signing-alg.js';
import { signingKeyFromKeyObject } from '../../src/keys/signing-key.js';
import type { OpenAdapter } from './open-adapter.js';

const T0 = Date.UTC(2026, 0, 1);

function newKey(alg: SigningAlg = 'ES256', createdAt = T0): StoredKey {
  return {
    ...signingKeyFromKeyObject(generatePrivateKey(alg), alg),
    createdAt,
    activatesAt: createdAt + 900_000,
  };
}

/**
 * What every KeyRepository adapter promises (keys/key-repository.ts): an empty repository
 * lists nothing, an added key comes back whole (private key, schedule to the millisecond),
 * listings are ordered by kid, removal is idempotent. Run it from a *.test.ts file.
 */
export function keyRepositoryContract(name: string, open: OpenAdapter<KeyRepository>): void {
  describe(`KeyRepository contract (${name})`, () => {
    const withStore = async (test: (store: KeyRepository) => Promise<void>) => {
      const { store, close } = await open();
      try {
        await test(store);
      } finally {
        await close();
      }
    };

    it('when nothing was added, then the listing is empty and names a location', () =>
      withStore(async (repository) => {
        expect(await repository.list()).toEqual({ keys: [], problems: [] });
        expect(repository.location).toEqual(expect.any(String));
      }));

    it('when keys are added, then they are listed whole, ordered by kid', () =>
      withStore(async (repository) => {
        const keys = [newKey('ES256'), newKey('EdDSA', T0 + 1), newKey('RS256', T0 + 2)];
        for (const key of keys) await repository.add(key);
        const { keys: listed, problems } = await repository.list();
        expect(problems).toEqual([]);
        expect(listed).toEqual([...keys].sort((a, b) => (a.kid < b.kid ? -1 : 1)));
      }));

    it('when a key is removed, then it is no longer listed and removing it again is harmless', () =>
      withStore(async (repository) => {
        const kept = newKey();
        const removed = newKey();
        await repository.add(kept);
        await repository.add(removed);
        await repository.remove(removed.kid);
        await repository.remove(removed.kid);
        await repository.remove('never-stored');
        expect((await repository.list()).keys.map((key) => key.kid)).toEqual([kept.kid]);
      }));

    it('when a key is added after a listing, then the next listing sees it', () =>
      withStore(async (repository) => {
        await repository.list();
        const key = newKey();
        await repository.add(key);
        expect((await repository.list()).keys).toEqual([key]);
      }));
  });
}
