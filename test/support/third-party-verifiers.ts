import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { auth } from 'express-oauth2-jwt-bearer';
import buildGetJwks from 'get-jwks';
import jwt, { type JwtHeader, type JwtPayload } from 'jsonwebtoken';
import * as oauth from 'oauth4webapi';

/**
 * Off-the-shelf access token verifiers from npm, configured as their READMEs show, each kept
 * running (caches and all) for as long as the test holds it. `verify` resolves with the
 * claims the library accepted and rejects with its own error message.
 */
export interface ThirdPartyVerifier {
  readonly name: string;
  verify(token: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface VerifierTarget {
  /** `PUBLIC_URL/auth`. */
  issuer: string;
  audience: string;
}

/**
 * Auth0's `express-oauth2-jwt-bearer` in a real Express resource server. `strict` turns on
 * its RFC 9068 profile (`typ`, `client_id`, `iat`, `jti`, `sub` required). It learns the JWKS
 * and the allowed algorithms from discovery (`metadataUrl`: a well-known URL fetched as it
 * is; default: the issuer, which it resolves to the OpenID location first) and caches
 * discovery and keys for 10 minutes unless `discoveryTtlMs` says otherwise.
 */
export async function startAuth0Verifier(
  target: VerifierTarget,
  options: { strict: boolean; metadataUrl?: string; discoveryTtlMs?: number },
): Promise<ThirdPartyVerifier> {
  const app = express();
  app.get(
    '/claims',
    auth({
      issuerBaseURL: options.metadataUrl ?? target.issuer,
      audience: target.audience,
      strict: options.strict,
      ...(options.discoveryTtlMs === undefined
        ? {}
        : { cache: { discovery: { ttl: options.discoveryTtlMs } } }),
    }),
    (req, res) => {
      res.json(req.auth?.payload);
    },
  );
  const refused: ErrorRequestHandler = (err: Error, _req, res, _next) => {
    res.status(401).json({ message: err.message });
  };
  app.use(refused);
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/claims`;
  return {
    name: `express-oauth2-jwt-bearer${options.strict ? ' (strict)' : ''}`,
    async verify(token) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as Record<string, unknown>;
      if (res.status !== 200) throw new Error(String(body.message));
      return body;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * panva's `oauth4webapi` `validateJwtAccessToken` (RFC 9068 section 4, strict by design), with
 * the authorization server metadata discovered once through RFC 8414 or OpenID Discovery.
 */
export async function oauth4webapiVerifier(
  target: VerifierTarget,
  algorithm: 'oauth2' | 'oidc' = 'oauth2',
): Promise<ThirdPartyVerifier> {
  const issuer = new URL(target.issuer);
  const insecure = { [oauth.allowInsecureRequests]: true };
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm, ...insecure }),
  );
  return {
    name: 'oauth4webapi validateJwtAccessToken',
    async verify(token) {
      const request = new Request('https://rs.example/claims', {
        headers: { authorization: `Bearer ${token}` },
      });
      return { ...(await oauth.validateJwtAccessToken(as, request, target.audience, insecure)) };
    },
    close: async () => {},
  };
}

/**
 * The lenient classic: `jsonwebtoken` with keys from `jwks-rsa` (10-minute key cache, a fetch
 * for every unknown kid), algorithms taken from the discovery document once at start.
 */
export async function jsonwebtokenVerifier(target: VerifierTarget): Promise<ThirdPartyVerifier> {
  const metadata = await discover(target.issuer);
  // Loaded on first use: jwks-rsa (CommonJS) requires the ESM-only jose 6, which Jest's
  // require(esm) refuses while jose is still being linked into this module graph.
  const { default: jwksClient } = await import('jwks-rsa');
  const client = jwksClient({ jwksUri: metadata.jwks_uri });
  const algorithms = metadata.id_token_signing_alg_values_supported as jwt.Algorithm[];
  return {
    name: 'jsonwebtoken + jwks-rsa',
    verify: (token) =>
      verifyWithJsonwebtoken(token, target, algorithms, async (header) =>
        (await client.getSigningKey(header.kid)).getPublicKey(),
      ),
    close: async () => {},
  };
}

/** `jsonwebtoken` with keys from Nearform's `get-jwks` (60-second cache, OpenID discovery). */
export async function getJwksVerifier(target: VerifierTarget): Promise<ThirdPartyVerifier> {
  const metadata = await discover(target.issuer);
  const getJwks = buildGetJwks({ providerDiscovery: true });
  const algorithms = metadata.id_token_signing_alg_values_supported as jwt.Algorithm[];
  return {
    name: 'jsonwebtoken + get-jwks',
    verify: (token) =>
      verifyWithJsonwebtoken(token, target, algorithms, (header) =>
        getJwks.getPublicKey({ domain: target.issuer, alg: header.alg, kid: header.kid! }),
      ),
    close: async () => {},
  };
}

function verifyWithJsonwebtoken(
  token: string,
  target: VerifierTarget,
  algorithms: jwt.Algorithm[],
  keyFor: (header: JwtHeader) => Promise<string>,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    jwt.verify(
      token,
      (header, callback) => {
        keyFor(header).then(
          (key) => callback(null, key),
          (err: Error) => callback(err),
        );
      },
      { algorithms, issuer: target.issuer, audience: target.audience },
      (err, payload) => (err ? reject(err) : resolve(payload as JwtPayload)),
    );
  });
}

async function discover(issuer: string): Promise<Record<string, unknown> & { jwks_uri: string }> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`discovery answered ${res.status}`);
  return (await res.json()) as Record<string, unknown> & { jwks_uri: string };
}
