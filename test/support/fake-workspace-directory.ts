/**
 * An in-process stand-in for Google's service account token endpoint and the Admin SDK
 * Directory API's `groups.list`, so Workspace group lookups are tested without the internet.
 * It owns a service account (an RSA key pair made at start) and hands out its JSON key file.
 *
 * - `POST /token`: the JWT bearer grant (RFC 7523). The assertion must verify with the
 *   account's public key (RS256), with `iss` the account's email, `aud` the token URI, `sub`
 *   the admin email delegated to, `scope` the read-only groups scope, and at most an hour of
 *   lifetime; otherwise 400 `invalid_grant` (401 `unauthorized_client` for a scope not
 *   delegated), as Google answers.
 * - `GET /admin/directory/v1/groups?userKey=EMAIL`: needs a token it issued and has not
 *   revoked; 404 for a user it does not know; pages of `pageSize` with `nextPageToken`.
 *
 * @example
 * const directory = await startFakeWorkspaceDirectory({ adminEmail: 'admin@example.com' });
 * directory.setGroups('ada@example.com', ['eng-admins@example.com']);
 * directory.misbehave({ status: 503 });     // lasts until changed
 * const keyFile = await directory.writeKeyFile();
 * await directory.close();
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { startLoopbackServer } from './loopback-server.js';

const GROUP_SCOPE = 'https://www.googleapis.com/auth/admin.directory.group.readonly';
const GROUPS_PATH = '/admin/directory/v1/groups';

export interface WorkspaceMisbehaviour {
  /** Every connection is dropped without an answer. */
  down?: boolean;
  /** The groups listing answers this status (with Google's error body). */
  status?: number;
  /** The token endpoint answers this status. */
  tokenStatus?: number;
  /** The groups listing answers 200 with a body that is not JSON. */
  garbage?: boolean;
}

export interface WorkspaceRequest {
  method: string;
  path: string;
  userKey: string | null;
  pageToken: string | null;
}

/** The fields of a Google service account JSON key that matter here. */
export interface ServiceAccountKeyFile {
  type: 'service_account';
  client_email: string;
  private_key: string;
  private_key_id: string;
  token_uri: string;
}

export interface FakeWorkspaceDirectory {
  /** The directory's origin, for `GOOGLE_GROUPS_DIRECTORY_URL`. */
  url: string;
  /** The service account's key file content (its token_uri is this server's /token). */
  keyFile: ServiceAccountKeyFile;
  /** Writes the key file into a temporary directory removed by close(); returns its path. */
  writeKeyFile(): Promise<string>;
  /** The groups of a user (group emails); a user never set is unknown (404). */
  setGroups(email: string, groups: string[]): void;
  removeUser(email: string): void;
  misbehave(next: WorkspaceMisbehaviour): void;
  /** Every access token issued so far stops working (the Directory API answers 401). */
  revokeTokens(): void;
  /** Requests received, oldest first; never an assertion or a token. */
  requests: WorkspaceRequest[];
  close(): Promise<void>;
}

export async function startFakeWorkspaceDirectory(options: {
  adminEmail: string;
  clientEmail?: string;
  pageSize?: number;
  tokenLifetimeS?: number;
  now?: () => number;
}): Promise<FakeWorkspaceDirectory> {
  const now = options.now ?? Date.now;
  const clientEmail = options.clientEmail ?? 'groups-reader@project.iam.gserviceaccount.com';
  const pageSize = options.pageSize ?? 2;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const users = new Map<string, string[]>();
  const tokens = new Map<string, number>();
  const requests: WorkspaceRequest[] = [];
  let misbehaviour: WorkspaceMisbehaviour = {};
  let tempDir: string | undefined;

  const { server, url, close: closeServer } = await startLoopbackServer();
  const tokenUri = `${url}/token`;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const googleError = (res: ServerResponse, status: number, message: string) =>
    send(res, status, { error: { code: status, message, errors: [{ message }] } });

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    if (misbehaviour.tokenStatus !== undefined) {
      const status = misbehaviour.tokenStatus;
      return send(res, status, { error: status < 500 ? 'invalid_grant' : 'internal_failure' });
    }
    const form = new URLSearchParams(await readBody(req));
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return send(res, 400, { error: 'unsupported_grant_type' });
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(form.get('assertion') ?? '', publicKey, {
        algorithms: ['RS256'],
        issuer: clientEmail,
        audience: tokenUri,
        requiredClaims: ['iat', 'exp', 'sub', 'scope'],
        currentDate: new Date(now()),
      }));
    } catch {
      return send(res, 400, {
        error: 'invalid_grant',
        error_description: 'Invalid JWT Signature.',
      });
    }
    if (payload.exp! - payload.iat! > 3600) {
      return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT: too long' });
    }
    if (payload.sub !== options.adminEmail) {
      return send(res, 400, {
        error: 'invalid_grant',
        error_description: 'Invalid email or User ID',
      });
    }
    if (payload['scope'] !== GROUP_SCOPE) {
      return send(res, 401, { error: 'unauthorized_client' });
    }
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    const lifetimeS = options.tokenLifetimeS ?? 3600;
    tokens.set(accessToken, now() + lifetimeS * 1000);
    send(res, 200, { access_token: accessToken, expires_in: lifetimeS, token_type: 'Bearer' });
  };

  const groups = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = bearer === undefined ? undefined : tokens.get(bearer);
    if (expiresAt === undefined || expiresAt <= now()) {
      return googleError(res, 401, 'Request had invalid authentication credentials.');
    }
    if (misbehaviour.status !== undefined) {
      return googleError(res, misbehaviour.status, 'Not Authorized to access this resource/api');
    }
    if (misbehaviour.garbage) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
      return;
    }
    const member = users.get((query.get('userKey') ?? '').toLowerCase());
    if (member === undefined) return googleError(res, 404, 'Resource Not Found: userKey');
    const size = Math.min(pageSize, Number(query.get('maxResults') ?? pageSize));
    const start = Number(query.get('pageToken') ?? '0');
    const page = member.slice(start, start + size);
    send(res, 200, {
      kind: 'admin#directory#groups',
      ...(page.length > 0 && {
        groups: page.map((email) => ({ kind: 'admin#directory#group', email })),
      }),
      ...(start + size < member.length && { nextPageToken: String(start + size) }),
    });
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const { pathname, searchParams } = new URL(req.url ?? '/', url);
    requests.push({
      method: req.method ?? '',
      path: pathname,
      userKey: searchParams.get('userKey'),
      pageToken: searchParams.get('pageToken'),
    });
    if (misbehaviour.down) {
      req.socket.destroy();
      return;
    }
    if (req.method === 'POST' && pathname === '/token') {
      void token(req, res);
    } else if (req.method === 'GET' && pathname === GROUPS_PATH) {
      groups(req, res, searchParams);
    } else {
      googleError(res, 404, 'Not Found');
    }
  });

  const keyFile: ServiceAccountKeyFile = {
    type: 'service_account',
    client_email: clientEmail,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    private_key_id: randomBytes(20).toString('hex'),
    token_uri: tokenUri,
  };

  return {
    url,
    keyFile,
    async writeKeyFile() {
      tempDir ??= await mkdtemp(join(tmpdir(), 'fake-workspace-'));
      const path = join(tempDir, 'service-account.json');
      await writeFile(path, JSON.stringify(keyFile), { mode: 0o600 });
      return path;
    },
    setGroups(email, list) {
      users.set(email.toLowerCase(), [...list]);
    },
    removeUser(email) {
      users.delete(email.toLowerCase());
    },
    misbehave(next) {
      misbehaviour = { ...misbehaviour, ...next };
    },
    revokeTokens() {
      tokens.clear();
    },
    requests,
    async close() {
      await closeServer();
      if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
