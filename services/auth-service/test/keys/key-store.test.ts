import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@gatehouse/shared';
import { createDirectoryKeyRepository } from '../../src/keys/directory-key-repository.js';
import { listKeyFiles } from '../../src/keys/key-directory.js';
import type { KeyRepository } from '../../src/keys/key-repository.js';
import { createKeyStore } from '../../src/keys/key-store.js';
import { openKeyStore } from '../../src/keys/open-key-store.js';
import { rotateSigningKey } from '../../src/keys/rotate-signing-key.js';
import { parsePrivateJwk } from '../../src/keys/signing-key.js';
import {
  manualClock,
  privateJwk,
  recordingLogger,
  tempDataDir,
  tokenConfig,
} from '../support/key-fixtures.js';

const SECOND = 1000;

async function open(
  dataDir: string,
  clock = manualClock(),
  production = false,
  tokens = tokenConfig(),
) {
  const log = recordingLogger();
  const repository = createDirectoryKeyRepository(dataDir);
  const store = await openKeyStore({
    tokens,
    repository,
    production,
    now: clock.now,
    logger: log.logger,
  });
  return { store, log, clock, repository };
}

describe('key store', () => {
  it('when DATA_DIR has no key outside production, then one is generated with a warning', async () => {
    const dataDir = tempDataDir();
    const { store, log } = await open(dataDir);
    expect(store.activeKey().alg).toBe('ES256');
    expect(log.warnings.join()).toMatch(/DEVELOPMENT: generated a signing key/);
    const dir = join(dataDir, 'keys');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const [file] = listKeyFiles(dir);
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
  });

  it('when DATA_DIR has no key in production, then start-up fails with a ConfigError', async () => {
    const start = () => open(tempDataDir(), manualClock(), true);
    await expect(start()).rejects.toThrow(ConfigError);
    await expect(start()).rejects.toThrow(/npm run keys -- rotate/);
  });

  it('when the service restarts on the same DATA_DIR, then it signs with the same key', async () => {
    const dataDir = tempDataDir();
    const before = (await open(dataDir)).store.activeKey().kid;
    const after = await open(dataDir);
    expect(after.store.activeKey().kid).toBe(before);
    expect(after.log.warnings).toEqual([]);
  });

  it('when JWT_ALG is EdDSA, then the generated key is an Ed25519 key', async () => {
    const { store } = await open(
      tempDataDir(),
      manualClock(),
      false,
      tokenConfig({ alg: 'EdDSA' }),
    );
    expect(JSON.parse(store.publication().body).keys[0]).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
    });
  });

  it('when the CLI rotates, then the running store publishes, switches and prunes on its own', async () => {
    const dataDir = tempDataDir();
    const { store, clock } = await open(dataDir);
    const old = store.activeKey().kid;
    // The CLI's own repository, as another process would open it.
    const rotated = (
      await rotateSigningKey({
        repository: createDirectoryKeyRepository(dataDir),
        alg: 'RS256',
        now: clock.now(),
        publishDelayMs: 900 * SECOND,
        retainMs: 660 * SECOND,
      })
    ).key.kid;
    const published = () =>
      JSON.parse(store.publication().body).keys.map((k: { kid: string }) => k.kid);

    clock.advance(2 * SECOND);
    await store.refresh();
    expect(published()).toEqual([old, rotated]);
    expect(store.activeKey().kid).toBe(old);
    expect(store.publication().algorithms).toEqual(['ES256', 'RS256']);

    clock.advance(898 * SECOND);
    expect(store.activeKey()).toMatchObject({ kid: rotated, alg: 'RS256' });
    expect(published()).toEqual([old, rotated]);

    clock.advance(660 * SECOND);
    expect(published()).toEqual([rotated]);
    clock.advance(2 * SECOND);
    await store.refresh();
    expect(published()).toEqual([rotated]);
    expect(listKeyFiles(join(dataDir, 'keys'))).toEqual([`${rotated}.json`]);
  });

  it('when a broken file appears in the key directory, then it is ignored and reported once', async () => {
    const dataDir = tempDataDir();
    const { store, clock, log } = await open(dataDir);
    const kid = store.activeKey().kid;
    writeFileSync(join(dataDir, 'keys', `${'A'.repeat(43)}.json`), '{"privateJwk":');
    clock.advance(2 * SECOND);
    await store.refresh();
    expect(store.activeKey().kid).toBe(kid);
    clock.advance(2 * SECOND);
    await store.refresh();
    store.activeKey();
    expect(log.errors).toEqual(['signing key file ignored']);
  });

  it('when keys come from SIGNING_KEYS, then the first signs, all are published, nothing is written', async () => {
    const dataDir = tempDataDir();
    const keys = [parsePrivateJwk(privateJwk('ES256')), parsePrivateJwk(privateJwk('ES256'))];
    const { store } = await open(dataDir, manualClock(), true, tokenConfig({ signingKeys: keys }));
    expect(store.readOnly).toBe(true);
    expect(store.activeKey().kid).toBe(keys[0].kid);
    expect(JSON.parse(store.publication().body).keys).toEqual(keys.map((k) => k.publicJwk));
    expect(() => statSync(join(dataDir, 'keys'))).toThrow();
  });

  it('when the published set is unchanged, then the same body and ETag are served', async () => {
    const { store, clock } = await open(tempDataDir());
    const first = store.publication();
    clock.advance(5 * SECOND);
    expect(store.publication()).toBe(first);
    expect(first.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
  });
  it('when reads are due while one is under way, then the repository is read once at a time', async () => {
    const dataDir = tempDataDir();
    const { store, clock, repository } = await open(dataDir);
    let reads = 0;
    let release = () => {};
    const slow: KeyRepository = {
      ...repository,
      list: async () => {
        reads += 1;
        await new Promise<void>((resolve) => (release = resolve));
        return repository.list();
      },
    };
    const watched = createKeyStore({
      source: { kind: 'repository', repository: slow, keys: (await repository.list()).keys },
      retainMs: 660 * SECOND,
      now: clock.now,
      logger: recordingLogger().logger,
    });
    clock.advance(2 * SECOND);
    watched.activeKey();
    clock.advance(2 * SECOND);
    watched.publication();
    expect(reads).toBe(1);
    release();
    await watched.refresh();
    expect(reads).toBe(1);
    clock.advance(2 * SECOND);
    const next = watched.refresh();
    release();
    await next;
    expect(reads).toBe(2);
    expect(watched.activeKey().kid).toBe(store.activeKey().kid);
  });

  it('when a read of the repository fails, then the loaded keys keep signing and the failure is logged', async () => {
    const { store, clock, repository } = await open(tempDataDir());
    const log = recordingLogger();
    const failing: KeyRepository = {
      ...repository,
      list: () => Promise.reject(new Error('disk gone')),
    };
    const watched = createKeyStore({
      source: { kind: 'repository', repository: failing, keys: (await repository.list()).keys },
      retainMs: 660 * SECOND,
      now: clock.now,
      logger: log.logger,
    });
    clock.advance(2 * SECOND);
    await watched.refresh();
    expect(watched.activeKey().kid).toBe(store.activeKey().kid);
    expect(log.errors).toEqual(['signing keys could not be read; keeping the loaded keys']);
  });

  it('when reads keep failing, then it logs once a minute, and once when they work again', async () => {
    const { clock, repository } = await open(tempDataDir());
    const log = recordingLogger();
    let down = true;
    const flaky: KeyRepository = {
      ...repository,
      list: () => (down ? Promise.reject(new Error('database down')) : repository.list()),
    };
    const watched = createKeyStore({
      source: { kind: 'repository', repository: flaky, keys: (await repository.list()).keys },
      retainMs: 660 * SECOND,
      now: clock.now,
      logger: log.logger,
    });
    for (let second = 0; second < 150; second += 1) {
      clock.advance(SECOND);
      await watched.refresh();
    }
    expect(log.errors).toEqual([
      'signing keys could not be read; keeping the loaded keys',
      'signing keys still cannot be read; keeping the loaded keys',
      'signing keys still cannot be read; keeping the loaded keys',
    ]);
    down = false;
    clock.advance(SECOND);
    await watched.refresh();
    expect(log.infos).toEqual(['signing keys can be read again']);
    expect(log.errors).toHaveLength(3);
  });

  it('when no read is due, then refresh leaves the repository alone', async () => {
    const { clock, repository } = await open(tempDataDir());
    let reads = 0;
    const counted: KeyRepository = {
      ...repository,
      list: () => ((reads += 1), repository.list()),
    };
    const watched = createKeyStore({
      source: { kind: 'repository', repository: counted, keys: (await repository.list()).keys },
      retainMs: 660 * SECOND,
      now: clock.now,
      logger: recordingLogger().logger,
      refreshIntervalMs: 5 * SECOND,
    });
    clock.advance(4 * SECOND);
    await watched.refresh();
    expect(reads).toBe(0);
    clock.advance(1 * SECOND);
    await watched.refresh();
    expect(reads).toBe(1);
  });
});
