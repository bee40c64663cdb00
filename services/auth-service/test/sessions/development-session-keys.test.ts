import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  developmentSessionKeys,
  SESSION_KEY_FILE,
} from '../../src/sessions/development-session-keys.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'gatehouse-session-key-'));
const keyOf = (char: string) => () => char.repeat(43);

describe('development session keys', () => {
  it('when DATA_DIR has no key yet, then one is generated into an owner-only file', () => {
    const dir = dataDir();

    const keys = developmentSessionKeys(dir, keyOf('a'));

    expect(keys).toEqual(['a'.repeat(43)]);
    expect(readFileSync(join(dir, SESSION_KEY_FILE), 'utf8').trim()).toBe('a'.repeat(43));
    expect(statSync(join(dir, SESSION_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([SESSION_KEY_FILE]);
  });

  it('when the service restarts on the same DATA_DIR, then it signs with the same key', () => {
    const dir = dataDir();
    developmentSessionKeys(dir, keyOf('a'));

    expect(developmentSessionKeys(dir, keyOf('b'))).toEqual(['a'.repeat(43)]);
  });

  it('when DATA_DIR does not exist yet, then it is created', () => {
    const dir = join(dataDir(), 'nested', 'data');

    expect(developmentSessionKeys(dir, keyOf('c'))).toEqual(['c'.repeat(43)]);
  });

  it('when the key file holds something too short, then start-up fails naming the file', () => {
    const dir = dataDir();
    writeFileSync(join(dir, SESSION_KEY_FILE), 'short\n');

    let error: unknown;
    try {
      developmentSessionKeys(dir, keyOf('d'));
    } catch (err) {
      error = err;
    }

    expect(error).toMatchObject({ code: 'ERR_INVALID_CONFIG' });
    expect((error as Error).message).toContain(join(dir, SESSION_KEY_FILE));
    expect((error as Error).message).not.toContain('short');
  });
});
