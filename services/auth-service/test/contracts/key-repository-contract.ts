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
 * listings are ordered by kid, removal is idempotent, exclusive work never overlaps and writes
 * through to the repository. Run it from a *.test.ts file.
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

    it('when exclusive work runs twice at once, then the second starts after the first ends', () =>
      withStore(async (repository) => {
        const events: string[] = [];
        const work = (name: string) =>
          repository.exclusive(async (locked) => {
            events.push(`${name} in`);
            await locked.list();
            await new Promise((resolve) => setTimeout(resolve, 50));
            events.push(`${name} out`);
            return name;
          });
        expect(await Promise.all([work('a'), work('b')])).toEqual(['a', 'b']);
        expect(events.join()).toMatch(/^(a in,a out,b in,b out|b in,b out,a in,a out)$/);
      }));

    it('when exclusive work adds a key, then the repository lists it afterwards', () =>
      withStore(async (repository) => {
        const key = newKey();
        await repository.exclusive(async (locked) => {
          expect((await locked.list()).keys).toEqual([]);
          await locked.add(key);
          expect((await locked.list()).keys).toEqual([key]);
        });
        expect((await repository.list()).keys).toEqual([key]);
      }));

    it('when exclusive work nests more exclusive work, then the inner work runs inside the same turn', () =>
      withStore(async (repository) => {
        const key = newKey();
        const inner = await repository.exclusive((locked) =>
          locked.exclusive(async (nested) => {
            await nested.add(key);
            return 'inner';
          }),
        );
        expect(inner).toBe('inner');
        expect((await repository.list()).keys).toEqual([key]);
      }));

    it('when exclusive work throws, then the error reaches the caller and the lock is free again', () =>
      withStore(async (repository) => {
        await expect(
          repository.exclusive(() => Promise.reject(new Error('rotation failed'))),
        ).rejects.toThrow('rotation failed');
        expect(await repository.exclusive(async () => 'next')).toBe('next');
      }));
  });
}
