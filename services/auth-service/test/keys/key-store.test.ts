import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@gatehouse/shared';
import { listKeyFiles } from '../../src/keys/key-directory.js';
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

function open(dataDir: string, clock = manualClock(), production = false, tokens = tokenConfig()) {
  const log = recordingLogger();
  const store = openKeyStore({ tokens, dataDir, production, now: clock.now, logger: log.logger });
  return { store, log, clock };
}

describe('key store', () => {
  it('when DATA_DIR has no key outside production, then one is generated with a warning', () => {
    const dataDir = tempDataDir();
    const { store, log } = open(dataDir);
    expect(store.activeKey().alg).toBe('ES256');
    expect(log.warnings.join()).toMatch(/DEVELOPMENT: generated a signing key/);
    const dir = join(dataDir, 'keys');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const [file] = listKeyFiles(dir);
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
  });

  it('when DATA_DIR has no key in production, then start-up fails with a ConfigError', () => {
    const start = () => open(tempDataDir(), manualClock(), true);
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/npm run keys -- rotate/);
  });

  it('when the service restarts on the same DATA_DIR, then it signs with the same key', () => {
    const dataDir = tempDataDir();
    const before = open(dataDir).store.activeKey().kid;
    const after = open(dataDir);
    expect(after.store.activeKey().kid).toBe(before);
    expect(after.log.warnings).toEqual([]);
  });

  it('when JWT_ALG is EdDSA, then the generated key is an Ed25519 key', () => {
    const { store } = open(tempDataDir(), manualClock(), false, tokenConfig({ alg: 'EdDSA' }));
    expect(JSON.parse(store.publication().body).keys[0]).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
    });
  });

  it('when the CLI rotates, then the running store publishes, switches and prunes on its own', () => {
    const dataDir = tempDataDir();
    const { store, clock } = open(dataDir);
    const old = store.activeKey().kid;
    const rotated = rotateSigningKey({
      dir: join(dataDir, 'keys'),
      alg: 'RS256',
      now: clock.now(),
      publishDelayMs: 900 * SECOND,
      retainMs: 660 * SECOND,
    }).key.kid;
    const published = () =>
      JSON.parse(store.publication().body).keys.map((k: { kid: string }) => k.kid);

    clock.advance(2 * SECOND);
    expect(published()).toEqual([old, rotated]);
    expect(store.activeKey().kid).toBe(old);
    expect(store.publication().algorithms).toEqual(['ES256', 'RS256']);

    clock.advance(898 * SECOND);
    expect(store.activeKey()).toMatchObject({ kid: rotated, alg: 'RS256' });
    expect(published()).toEqual([old, rotated]);

    clock.advance(660 * SECOND);
    expect(published()).toEqual([rotated]);
    clock.advance(2 * SECOND);
    expect(published()).toEqual([rotated]);
    expect(listKeyFiles(join(dataDir, 'keys'))).toEqual([`${rotated}.json`]);
  });

  it('when a broken file appears in the key directory, then it is ignored and reported once', () => {
    const dataDir = tempDataDir();
    const { store, clock, log } = open(dataDir);
    const kid = store.activeKey().kid;
    writeFileSync(join(dataDir, 'keys', `${'A'.repeat(43)}.json`), '{"privateJwk":');
    clock.advance(2 * SECOND);
    expect(store.activeKey().kid).toBe(kid);
    clock.advance(2 * SECOND);
    store.activeKey();
    expect(log.errors).toEqual(['signing key file ignored']);
  });

  it('when keys come from SIGNING_KEYS, then the first signs, all are published, nothing is written', () => {
    const dataDir = tempDataDir();
    const keys = [parsePrivateJwk(privateJwk('ES256')), parsePrivateJwk(privateJwk('ES256'))];
    const { store } = open(dataDir, manualClock(), true, tokenConfig({ signingKeys: keys }));
    expect(store.readOnly).toBe(true);
    expect(store.activeKey().kid).toBe(keys[0].kid);
    expect(JSON.parse(store.publication().body).keys).toEqual(keys.map((k) => k.publicJwk));
    expect(() => statSync(join(dataDir, 'keys'))).toThrow();
  });

  it('when the published set is unchanged, then the same body and ETag are served', () => {
    const { store, clock } = open(tempDataDir());
    const first = store.publication();
    clock.advance(5 * SECOND);
    expect(store.publication()).toBe(first);
    expect(first.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
  });
});
