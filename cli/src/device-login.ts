import { CliError } from './cli-error.js';
import { CLIENT_ID, type CliDeps } from './cli-deps.js';
import type { Credentials } from './credentials-file.js';
import { OAuthError, requestJson } from './http-client.js';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * The device flow (RFC 8628) from the terminal: reads the issuer metadata (RFC 8414) for the
 * endpoints, asks for a code, prints where to enter it (opens nothing by itself), then polls
 * the token endpoint at the interval: `authorization_pending` waits, `slow_down` adds 5 s,
 * `access_denied` and `expired_token` end with a message.
 */
export async function deviceLogin(server: string, deps: CliDeps): Promise<Credentials> {
  const metadataUrl = new URL('/.well-known/oauth-authorization-server/auth', server).href;
  const metadata = await requestJson(deps.fetch, metadataUrl).catch((err: unknown) => {
    if (!(err instanceof OAuthError)) throw err;
    throw new CliError(
      `${server} is not a Gatehouse server, or not its public URL: ${metadataUrl} answered ` +
        `${err.status} ${err.message}`,
    );
  });
  const deviceEndpoint = metadata.device_authorization_endpoint;
  const tokenEndpoint = metadata.token_endpoint;
  const revocationEndpoint = metadata.revocation_endpoint;
  if (
    typeof deviceEndpoint !== 'string' ||
    typeof tokenEndpoint !== 'string' ||
    typeof revocationEndpoint !== 'string'
  ) {
    throw new CliError(
      `${server} does not offer the device flow (no device_authorization_endpoint)`,
    );
  }
  const device = await requestJson(deps.fetch, deviceEndpoint, { form: { client_id: CLIENT_ID } });
  const deviceCode = String(device.device_code);
  deps.err(`To sign in, open ${String(device.verification_uri)} and enter the code:`);
  deps.err('');
  deps.err(`    ${String(device.user_code)}`);
  deps.err('');
  if (typeof device.verification_uri_complete === 'string') {
    deps.err(`(or open ${device.verification_uri_complete})`);
  }
  deps.err('Waiting for approval...');
  let interval = Number(device.interval ?? 5);
  const deadline = deps.now() + Number(device.expires_in ?? 600) * 1000;
  for (;;) {
    await deps.sleep(interval * 1000);
    try {
      const tokens = await requestJson(deps.fetch, tokenEndpoint, {
        form: { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: CLIENT_ID },
      });
      if (typeof tokens.refresh_token !== 'string' || typeof tokens.access_token !== 'string') {
        throw new CliError('the server issued no refresh token for this tool');
      }
      return {
        server,
        clientId: CLIENT_ID,
        tokenEndpoint,
        revocationEndpoint,
        refreshToken: tokens.refresh_token,
        accessToken: tokens.access_token,
        accessTokenExpiresAt: deps.now() + Number(tokens.expires_in) * 1000,
      };
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      if (err.code === 'authorization_pending' && deps.now() < deadline) continue;
      if (err.code === 'slow_down') {
        interval += 5;
        continue;
      }
      if (err.code === 'access_denied') throw new CliError('sign-in was denied in the browser');
      if (err.code === 'expired_token' || err.code === 'authorization_pending') {
        throw new CliError('the code expired before it was approved; run "gatehouse login" again');
      }
      throw new CliError(`sign-in failed: ${err.message}`);
    }
  }
}
