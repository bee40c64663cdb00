import type { ServerResponse } from 'node:http';
import { GATEWAY_PASS_PATH } from '@gatehouse/shared';

/**
 * Thrown by the authorizer when a browser navigation to a session route needs a (new) gateway
 * pass: the answer is a 302 to `location`, through `/auth/pass`, which signs in first when the
 * session has ended and then comes back to the page.
 */
export class SignInRedirect extends Error {
  override readonly name = 'SignInRedirect';
  constructor(
    /** Absolute URL under PUBLIC_URL. */
    readonly location: string,
    /** Why: `no-pass`, `pass-invalid` or `pass-renew`; for logs and metrics. */
    readonly rule: string,
  ) {
    super('sign-in required');
  }
}

/**
 * Where a browser goes for a pass that brings it back to `returnTo`: PUBLIC_URL's
 * `/auth/pass?returnTo=...`. `returnTo` must be a path the gateway normalised (it starts with
 * one `/`); the auth-service judges it again (same-origin paths only), so nothing here can
 * send a browser to another origin.
 *
 * @example
 * passUrl('https://app.example.com', '/grafana/d/1?x=2');
 * // 'https://app.example.com/auth/pass?returnTo=%2Fgrafana%2Fd%2F1%3Fx%3D2'
 */
export function passUrl(publicUrl: string, returnTo: string): string {
  const path = returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/';
  return `${publicUrl}${GATEWAY_PASS_PATH}?returnTo=${encodeURIComponent(path)}`;
}

/** Answers a `SignInRedirect`: a 302 that is never cached and has no body a browser would show. */
export function sendRedirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': '0' });
  res.end();
}
