import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** What a Google service account JSON key provides for the JWT bearer grant (RFC 7523). */
export interface ServiceAccountKey {
  /** The assertion's `iss`. */
  readonly clientEmail: string;
  /** RSA, for RS256; a KeyObject so the PEM text is not kept around as a string. */
  readonly privateKey: KeyObject;
  /** Where the assertion is exchanged, and its `aud` (https://oauth2.googleapis.com/token). */
  readonly tokenUri: string;
  /** The key's id, sent as the assertion's `kid` when present. */
  readonly keyId: string | undefined;
}

/**
 * Reads the service account key a Google Cloud console download gives
 * (`GOOGLE_GROUPS_SERVICE_ACCOUNT_FILE`). Throws with a message naming the file and the field
 * at fault, never quoting the file's content.
 */
export async function readServiceAccountKey(path: string): Promise<ServiceAccountKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the service account key file ${path}`, { cause: err });
  }
  return parseServiceAccountKey(text, path);
}

/** As readServiceAccountKey, from the file's text; `source` names it in messages. */
export function parseServiceAccountKey(text: string, source: string): ServiceAccountKey {
  const fix = 'download a JSON key for the service account in the Google Cloud console';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message quotes the text around the error: it is not passed on.
    throw new Error(`${source} is not JSON; ${fix}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error(`${source} is not a JSON object; ${fix}`);
  }
  const fields = json as Record<string, unknown>;
  const field = (name: string): string => {
    const value = fields[name];
    if (typeof value !== 'string' || value === '') {
      throw new Error(`${source} has no "${name}"; ${fix}`);
    }
    return value;
  };
  const clientEmail = field('client_email');
  const tokenUri = field('token_uri');
  if (!URL.canParse(tokenUri) || !/^https?:$/.test(new URL(tokenUri).protocol)) {
    throw new Error(`${source} "token_uri" is not an http(s) URL`);
  }
  const pem = field('private_key');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    // OpenSSL's message says nothing useful here and must not risk quoting the key.
    throw new Error(`${source} "private_key" is not a PEM private key; ${fix}`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new Error(`${source} "private_key" must be an RSA key (RS256)`);
  }
  const keyId = fields['private_key_id'];
  return {
    clientEmail,
    privateKey,
    tokenUri,
    keyId: typeof keyId === 'string' ? keyId : undefined,
  };
}
