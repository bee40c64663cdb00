/**
 * A signed-in session written straight into the built auth-service's stores, and the cookie
 * a browser would hold for it (koa-session's signature with `sessionKey`): for benchmarks that
 * measure session routes without a sign-in per run.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Pre-registers bench@example.com as an admin, stores a session for them through
 * `openStores(storage)` (DATA_DIR, or DATABASE_URL's settings) and returns the Cookie header.
 */
export async function signedInCookie(dist, storage, sessionKey) {
  const { openStores } = await import(pathToFileURL(join(dist, 'db/open-stores.js')).href);
  const { SESSION_COOKIE } = await import(
    pathToFileURL(join(dist, 'sessions/session-middleware.js')).href
  );
  const stores = await openStores({
    ...storage,
    session: { idleTimeoutMs: 3_600_000, maxAgeMs: 86_400_000 },
  });
  try {
    const user = await stores.directory.preRegister('bench@example.com', ['admin'], Date.now());
    const id = randomBytes(16).toString('hex');
    await stores.sessions.create(id, {
      userId: user.id,
      sid: randomBytes(16).toString('base64url'),
      signedInAt: Date.now(),
    });
    const signature = createHmac('sha1', sessionKey)
      .update(`${SESSION_COOKIE}=${id}`)
      .digest('base64url');
    return `${SESSION_COOKIE}=${id}; ${SESSION_COOKIE}.sig=${signature}`;
  } finally {
    await stores.close();
  }
}
