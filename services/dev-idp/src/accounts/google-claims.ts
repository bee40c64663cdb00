import { createHash } from 'node:crypto';

/** What a developer typed on the sign-in page. */
export interface DevProfile {
  email: string;
  name: string;
  emailVerified: boolean;
}

/** The id_token claims Google issues for an account, as far as Gatehouse relies on them. */
export interface GoogleClaims {
  [claim: string]: unknown;
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
  given_name?: string;
  family_name?: string;
  picture: string;
  hd?: string;
}

/** Consumer domains: Google sends no `hd` for them, only for Workspace domains. */
const CONSUMER_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * A Google-shaped subject: 21 decimal digits derived from the email alone, so the same email
 * gets the same `sub` across restarts and machines, and different emails different ones.
 */
export function subjectForEmail(email: string): string {
  const digest = createHash('sha256').update(`dev-idp:${email.toLowerCase()}`).digest('hex');
  return `1${(BigInt(`0x${digest}`) % 10n ** 20n).toString().padStart(20, '0')}`;
}

/** The claims Google would put in an id_token for `profile`. */
export function googleClaims(profile: DevProfile): GoogleClaims {
  const domain = profile.email.slice(profile.email.lastIndexOf('@') + 1).toLowerCase();
  const [given, ...rest] = profile.name.split(/\s+/);
  return {
    sub: subjectForEmail(profile.email),
    email: profile.email,
    email_verified: profile.emailVerified,
    name: profile.name,
    ...(given ? { given_name: given } : {}),
    ...(rest.length > 0 ? { family_name: rest.join(' ') } : {}),
    picture: avatarFor(profile.name),
    ...(CONSUMER_DOMAINS.has(domain) ? {} : { hd: domain }),
  };
}

/** An initial on a coloured disc, as a data: URL: no external host is ever referenced. */
function avatarFor(name: string): string {
  const initial = (name.trim()[0] ?? '?').toUpperCase().replace(/[<>&"']/g, '?');
  const hue = parseInt(createHash('sha256').update(name).digest('hex').slice(0, 4), 16) % 360;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96">` +
    `<circle cx="48" cy="48" r="48" fill="hsl(${hue},45%,45%)"/>` +
    `<text x="48" y="62" font-size="44" text-anchor="middle" fill="#fff" font-family="sans-serif">${initial}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
