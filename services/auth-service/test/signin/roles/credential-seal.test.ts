import { describe, expect, it } from '@jest/globals';
import { createCredentialSeal } from '../../../src/signin/roles/credential-seal.js';

const OLD = 'old-session-key-0123456789abcdef-0123456';
const NEW = 'new-session-key-0123456789abcdef-0123456';
const TOKEN = '{"refresh_token":"rt-secret-value"}';
const CONTEXT = 'okta\n00u-ada';

describe('sealing provider credentials with the session keys', () => {
  it('when a credential is sealed, then the sealed text does not contain it and opens to it', () => {
    const seal = createCredentialSeal([OLD]);
    const sealed = seal.seal(TOKEN, CONTEXT);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('rt-secret-value');
    expect(seal.open(sealed, CONTEXT)).toBe(TOKEN);
    expect(seal.seal(TOKEN, CONTEXT)).not.toBe(sealed);
  });

  it('when the keys rotate (new first, old second), then old values open and new ones are sealed with the new key', () => {
    const sealedBefore = createCredentialSeal([OLD]).seal(TOKEN, CONTEXT);
    const rotated = createCredentialSeal([NEW, OLD]);
    expect(rotated.open(sealedBefore, CONTEXT)).toBe(TOKEN);
    const sealedAfter = rotated.seal(TOKEN, CONTEXT);
    expect(createCredentialSeal([NEW]).open(sealedAfter, CONTEXT)).toBe(TOKEN);
    expect(createCredentialSeal([OLD]).open(sealedAfter, CONTEXT)).toBeUndefined();
  });

  it('when the key that sealed a value is dropped, then it opens to nothing', () => {
    const sealed = createCredentialSeal([OLD]).seal(TOKEN, CONTEXT);
    expect(createCredentialSeal([NEW]).open(sealed, CONTEXT)).toBeUndefined();
  });

  it('when a value is opened for another identity, altered or malformed, then it opens to nothing', () => {
    const seal = createCredentialSeal([OLD]);
    const sealed = seal.seal(TOKEN, CONTEXT);
    expect(seal.open(sealed, 'okta\n00u-eve')).toBeUndefined();
    const [version, iv, body] = sealed.split('.') as [string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(seal.open(`${version}.${iv}.${flipped.toString('base64url')}`, CONTEXT)).toBeUndefined();
    for (const bad of ['', 'v1', 'v2.a.b', `${sealed}.x`, 'v1.AAAA.AAAA', TOKEN]) {
      expect(seal.open(bad, CONTEXT)).toBeUndefined();
    }
  });

  it('when no key is given, then it says which option is missing', () => {
    expect(() => createCredentialSeal([])).toThrow('"sessionKeys"');
  });
});
