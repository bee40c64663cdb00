import { describe, expect, it } from '@jest/globals';
import { runKeysCommand } from '../../src/admin-cli/keys-command.js';
import { privateJwk, tempDataDir } from '../support/key-fixtures.js';

const T0 = Date.UTC(2026, 0, 1);

async function run(argv: string[], env: Record<string, string>, now = T0) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKeysCommand(
    argv,
    env,
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    now,
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('keys CLI', () => {
  it('when there are no keys, then list says how to create one', async () => {
    const result = await run(['list'], { DATA_DIR: tempDataDir() });
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toMatch(/no signing keys .* npm run keys -- rotate/);
  });

  it('when rotating twice across the publish delay, then list shows the lifecycle', async () => {
    const env = { DATA_DIR: tempDataDir(), KEY_PUBLISH_DELAY: '660' };
    const first = await run(['rotate'], env);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/added ES256 key \S{43}; no key was signing, so it signs now/);

    const second = await run(['rotate', '--alg', 'EdDSA'], env, T0 + 1000);
    expect(second.out).toMatch(
      /: a running auth-service serves it in its JWKS within 1 s; verifiers holding a cached key set \(max-age 300 s\) see it by 2026-01-01T00:05:02Z; signs from 2026-01-01T00:11:01Z$/,
    );

    const pending = await run(['rotate'], env, T0 + 2000);
    expect(pending.code).toBe(1);
    expect(pending.err).toMatch(/already waiting to sign from 2026-01-01T00:11:01/);

    const listed = (await run(['list'], env, T0 + 661_000)).out.split('\n');
    expect(listed[0]).toMatch(/^KID +ALG +STATE +CREATED +SIGNS FROM +RETIRED +UNPUBLISHED$/);
    expect(listed[1]).toMatch(
      /ES256 +retired +2026-01-01T00:00:00Z .* 2026-01-01T00:11:01Z +2026-01-01T00:22:01Z$/,
    );
    expect(listed[2]).toMatch(/EdDSA +active +2026-01-01T00:00:01Z +2026-01-01T00:11:01Z +- +-$/);
  });

  it('when the retired key has expired, then the next rotation removes it', async () => {
    const env = { DATA_DIR: tempDataDir(), KEY_PUBLISH_DELAY: '660' };
    const old = /key (\S{43})/.exec((await run(['rotate'], env)).out)?.[1];
    await run(['rotate'], env, T0 + 1000);
    const third = await run(['rotate'], env, T0 + 3_600_000);
    expect(third.out).toContain(`removed expired key ${old}`);
    expect((await run(['list'], env, T0 + 3_600_000)).out).not.toContain(old);
  });

  it('when SIGNING_KEYS is set, then rotate refuses and list shows the set', async () => {
    const env = { DATA_DIR: tempDataDir(), SIGNING_KEYS: JSON.stringify({ keys: [privateJwk()] }) };
    const rotate = await run(['rotate'], env);
    expect(rotate.code).toBe(1);
    expect(rotate.err).toMatch(/SIGNING_KEYS is set, so keys are rotated in the secret manager/);
    expect((await run(['list'], env)).out).toMatch(/ES256 +active/);
  });

  it('when the command or its options are wrong, then it exits 2 with usage on stderr', async () => {
    const env = { DATA_DIR: tempDataDir() };
    expect(await run([], env)).toMatchObject({
      code: 2,
      out: '',
      err: expect.stringMatching(/^usage/),
    });
    expect(await run(['spin'], env)).toMatchObject({
      code: 2,
      out: '',
      err: expect.stringMatching(/unknown command "spin"[\s\S]*usage/),
    });
    expect(await run(['rotate', '--alg', 'HS256'], env)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--alg must be one of ES256, EdDSA, RS256 \(got HS256\)/),
    });
    expect(await run(['help'], env)).toMatchObject({
      code: 0,
      err: '',
      out: expect.stringMatching(/^usage/),
    });
    expect(await run(['list'], { ...env, ACCESS_TOKEN_TTL: '1' })).toMatchObject({
      code: 1,
      err: expect.stringMatching(/keys: invalid configuration:\n {2}ACCESS_TOKEN_TTL/),
    });
  });
});
