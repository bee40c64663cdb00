import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { buildTokenApp } from '../../support/token-app.js';

/** Debian's Python, where `apt-get install python3-authlib` puts Authlib (.ci/run does). */
const PYTHON = process.env.AUTHLIB_PYTHON ?? '/usr/bin/python3';

/** Runs Authlib's RFC 8414 and OpenID Discovery validators on the document read from stdin. */
const VALIDATE = `
import json, sys
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from authlib.oidc.discovery import OpenIDProviderMetadata
document = json.load(sys.stdin)
for kind in (AuthorizationServerMetadata, OpenIDProviderMetadata):
    try:
        kind(document).validate()
    except ValueError as err:
        print(kind.__name__ + ": " + str(err))
        sys.exit(1)
print("valid")
`;

function authlibSays(document: unknown): Promise<string> {
  if (!existsSync(PYTHON)) {
    throw new Error(
      `no Python at ${PYTHON}: apt-get install python3-authlib (or set AUTHLIB_PYTHON)`,
    );
  }
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, ['-c', VALIDATE], (err, stdout, stderr) => {
      if (err && !stdout) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
    child.stdin!.end(JSON.stringify(document));
  });
}

describe('issuer metadata against Authlib (Python) validators', () => {
  it('when Authlib validates both documents of an https issuer, then it accepts them', async () => {
    const { app } = await buildTokenApp({ env: { PUBLIC_URL: 'https://gatehouse.example' } });
    for (const path of [
      '/.well-known/oauth-authorization-server/auth',
      '/auth/.well-known/openid-configuration',
    ]) {
      const res = await request(app.callback()).get(path).expect(200);
      await expect(authlibSays(res.body)).resolves.toBe('valid');
    }
  });

  it('when response_types_supported is empty, then Authlib calls it missing (why it is not)', async () => {
    const { app } = await buildTokenApp({ env: { PUBLIC_URL: 'https://gatehouse.example' } });
    const res = await request(app.callback()).get('/auth/.well-known/openid-configuration');
    await expect(authlibSays({ ...res.body, response_types_supported: [] })).resolves.toBe(
      'AuthorizationServerMetadata: "response_types_supported" is required',
    );
  });
});
