import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CliError } from '../src/cli-error.js';
import {
  credentialsPath,
  readCredentials,
  writeCredentials,
  type Credentials,
} from '../src/credentials-file.js';

const credentials: Credentials = {
  server: 'https://app.example.com',
  clientId: 'gatehouse-cli',
  tokenEndpoint: 'https://app.example.com/auth/token',
  revocationEndpoint: 'https://app.example.com/auth/revoke',
  refreshToken: 'r',
};

describe('credentials file', () => {
  it('when XDG_CONFIG_HOME is set and absolute, then the file lives under it, else under ~/.config', () => {
    expect(credentialsPath({ XDG_CONFIG_HOME: '/x', HOME: '/home/ada' })).toBe(
      '/x/gatehouse/credentials.json',
    );
    expect(credentialsPath({ HOME: '/home/ada' })).toBe(
      '/home/ada/.config/gatehouse/credentials.json',
    );
    expect(credentialsPath({ XDG_CONFIG_HOME: 'relative', HOME: '/home/ada' })).toBe(
      '/home/ada/.config/gatehouse/credentials.json',
    );
  });

  it('when written, then only its owner can read it, and it reads back the same', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gatehouse-file-')), 'gatehouse', 'c.json');
    writeCredentials(path, credentials);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readCredentials(path)).toEqual(credentials);
  });

  it('when missing, then undefined; when incomplete, then a CliError naming what is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-file-'));
    expect(readCredentials(join(dir, 'none.json'))).toBeUndefined();
    const path = join(dir, 'partial.json');
    writeFileSync(path, JSON.stringify({ ...credentials, refreshToken: undefined }));
    expect(() => readCredentials(path)).toThrow(CliError);
    expect(() => readCredentials(path)).toThrow(/has no refreshToken/);
  });
});
