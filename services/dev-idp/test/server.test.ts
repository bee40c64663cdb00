import { describe, expect, it } from '@jest/globals';
import { createLogger } from '@gatehouse/shared';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'dev-idp',
    level: 'info',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

describe('dev-idp start-up', () => {
  it('when it starts, then it warns that it is for development only, with its issuer and redirect URIs', async () => {
    const { logger, lines } = capturedLogger();
    const running = await startServer(loadConfig({ PORT: '0', NODE_ENV: 'test' }), { logger });
    await running.close();
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: expect.stringMatching(/DEVELOPMENT signing keys/) }),
        expect.objectContaining({
          msg: expect.stringMatching(/DEVELOPMENT IDENTITY PROVIDER.*never .*production/),
          issuer: 'http://localhost:4003',
          redirect_uris: ['http://localhost:8080/auth/connect/google/callback'],
        }),
      ]),
    );
    expect(JSON.stringify(lines)).not.toContain('gatehouse-dev-secret');
  });

  it('when asked to take the issuer from the listen URL, then discovery is published on that URL', async () => {
    const { logger } = capturedLogger();
    const running = await startServer(
      loadConfig({ PORT: '0', NODE_ENV: 'test' }),
      { logger },
      {
        issuerFromListenUrl: true,
      },
    );
    try {
      expect(running.issuer).toBe(running.url);
      const response = await fetch(`${running.url}/.well-known/openid-configuration`);
      expect(await response.json()).toMatchObject({
        issuer: running.url,
        token_endpoint: `${running.url}/token`,
      });
    } finally {
      await running.close();
    }
  });
});
