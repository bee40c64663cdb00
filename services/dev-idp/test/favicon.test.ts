import { describe, expect, it } from '@jest/globals';
import { FAVICON_SVG, silentLogger } from '@gatehouse/shared';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

describe('dev-idp favicon', () => {
  it.each(['/favicon.ico', '/favicon.svg'])(
    'when the browser asks for %s, then the Gatehouse icon is served, not a 404',
    async (path) => {
      const app = createApp(loadConfig({ NODE_ENV: 'test' }), { logger: silentLogger() });
      const response = await request(app.callback()).get(path).buffer(true);

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(String(response.body)).toBe(FAVICON_SVG);
    },
  );
});
