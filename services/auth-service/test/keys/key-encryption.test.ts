import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { parseEncryptionKeys, seal, unseal } from '../../src/keys/key-encryption.js';

const entry = (id: string, bytes = 32) => `${id}:${randomBytes(bytes).toString('base64')}`;

describe('KEY_ENCRYPTION_KEY', () => {
  it('when entries are well formed, then the first encrypts and every one decrypts', () => {
    const [a, b] = [entry('a'), entry('b')];
    const sealedByB = seal(parseEncryptionKeys([b]), 'secret', 'kid1');
    const keys = parseEncryptionKeys([a, b]);
    expect(seal(keys, 'x', 'kid1').keyId).toBe('a');
    expect(unseal(keys, sealedByB, 'kid1')).toBe('secret');
  });

  it.each([
    [[], 'at least one'],
    [['nocolon'], 'entry 1 must be id:base64'],
    [['bad id:AAAA'], 'entry 1 must be id:base64'],
    [[entry('short', 16)], 'entry 1 (short) must hold 32 bytes'],
    [[entry('x'), entry('x')], 'unique'],
  ])('when it is %j, then parsing fails saying %s', (entries, message) => {
    expect(() => parseEncryptionKeys(entries)).toThrow(message);
  });

  it('when a key is rejected, then the message never contains its bytes', () => {
    const bad = entry('short', 16);
    try {
      parseEncryptionKeys([bad]);
    } catch (err) {
      expect((err as Error).message).not.toContain(bad.split(':')[1]);
    }
    expect.assertions(1);
  });

  it('when the ciphertext, the context or the key is wrong, then it does not open', () => {
    const keys = parseEncryptionKeys([entry('a')]);
    const sealed = seal(keys, 'secret', 'kid1');
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0]! ^= 1;
    expect(() => unseal(keys, { ...sealed, ciphertext: flipped }, 'kid1')).toThrow(
      'does not decrypt',
    );
    expect(() => unseal(keys, sealed, 'kid2')).toThrow('does not decrypt');
    expect(() => unseal(parseEncryptionKeys([entry('a')]), sealed, 'kid1')).toThrow(
      'does not decrypt',
    );
    expect(() => unseal(parseEncryptionKeys([entry('b')]), sealed, 'kid1')).toThrow('"a"');
  });
});
