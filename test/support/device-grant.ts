import { DeviceBrowser } from './device-browser.js';
import type { RunningSystem } from './start-system.js';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** A token endpoint answer: the status and the JSON body. */
export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, string | number | undefined>;
}

/**
 * The device flow through the gateway, as a command-line client and a person at the device
 * page would drive it: start, approve in a browser (signed in through the fake Google), then
 * redeem and refresh with form posts.
 *
 * @example
 * const { deviceCode, browser } = await approvedDevice(system, { clientId: 'reports-cli' });
 * const first = await redeem(system, deviceCode, 'reports-cli');
 */
export async function approvedDevice(
  system: RunningSystem,
  options: { clientId: string; scope?: string },
): Promise<{ deviceCode: string; browser: DeviceBrowser }> {
  const started = await tokenForm(system, '/auth/device_authorization', {
    client_id: options.clientId,
    ...(options.scope === undefined ? {} : { scope: options.scope }),
  });
  if (started.status !== 200) throw new Error(`device_authorization: ${started.status}`);
  const { device_code, user_code, verification_uri } = started.body as Record<string, string>;
  const browser = new DeviceBrowser(system.url);
  const page = await browser.enter(verification_uri!, user_code!);
  if (page.status !== 200) throw new Error(`device page: ${page.status}`);
  const done = await browser.decide(user_code!, 'approve');
  if (done.status !== 200) throw new Error(`approval: ${done.status}`);
  return { deviceCode: device_code!, browser };
}

/** Exchanges an approved device code at POST /auth/token. */
export function redeem(system: RunningSystem, deviceCode: string, clientId: string) {
  return tokenForm(system, '/auth/token', {
    grant_type: DEVICE_CODE_GRANT,
    device_code: deviceCode,
    client_id: clientId,
  });
}

/** Refreshes at POST /auth/token, optionally asking for a narrower `scope`. */
export function refresh(
  system: RunningSystem,
  refreshToken: string,
  clientId: string,
  scope?: string,
) {
  return tokenForm(system, '/auth/token', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: clientId,
    ...(scope === undefined ? {} : { scope }),
  });
}

async function tokenForm(
  system: RunningSystem,
  path: string,
  form: Record<string, string>,
): Promise<TokenAnswer> {
  const res = await fetch(`${system.url}${path}`, {
    method: 'POST',
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as TokenAnswer['body'] };
}
