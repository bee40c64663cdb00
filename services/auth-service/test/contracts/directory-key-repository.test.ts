import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createDirectoryKeyRepository } from '../../src/keys/directory-key-repository.js';
import { generatePrivateKey } from '../../src/keys/signing-alg.js';
import { signingKeyFromKeyObject } from '../../src/keys/signing-key.js';
import { tempDataDir } from '../support/key-fixtures.js';
import { keyRepositoryContract } from './key-repository-contract.js';

keyRepositoryContract('directory', async () => ({
  store: createDirectoryKeyRepository(tempDataDir()),
  close: async () => {},
}));

describe('key directory repository', () => {
  it('when a file in the directory is not a key, then the listing reports it and keeps the rest', async () => {
    const dataDir = tempDataDir();
    const repository = createDirectoryKeyRepository(dataDir);
    const name = `${'A'.repeat(43)}.json`;
    await repository.list();
    await repository.remove('nothing'); // no directory yet: harmless
    const key = {
      ...signingKeyFromKeyObject(generatePrivateKey('ES256'), 'ES256'),
      createdAt: 0,
      activatesAt: 0,
    };
    await repository.add(key);
    writeFileSync(join(dataDir, 'keys', name), '{"privateJwk":');
    const listing = await repository.list();
    expect(listing.keys).toEqual([key]);
    expect(listing.problems).toEqual([{ name, error: expect.any(Error) }]);
    expect(listing.problems[0]!.error.message).not.toContain('privateJwk');
    expect(repository.location).toBe(join(dataDir, 'keys'));
  });
});
