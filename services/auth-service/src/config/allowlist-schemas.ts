import { commaList } from '@gatehouse/shared';

/** A DNS name as Google writes `hd`: dot-separated labels of letters, digits and hyphens. */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Why `entry` is not a domain, in words that show the fix; undefined when it is one. */
export function domainProblem(entry: string): string | undefined {
  if (/[;\s]/.test(entry)) {
    return `has ${JSON.stringify(entry)}: separate entries with commas, e.g. example.com,corp.example`;
  }
  if (entry.includes('@')) {
    const domain = entry.slice(entry.lastIndexOf('@') + 1);
    return entry.startsWith('@') && DOMAIN.test(domain)
      ? `has ${JSON.stringify(entry)}: write the domain without @, e.g. ${domain}`
      : `has ${JSON.stringify(entry)}, an email: put emails in ALLOWED_EMAILS`;
  }
  if (entry.includes('*')) {
    return `has ${JSON.stringify(entry)}: wildcards are not supported; a domain matches the id_token's hd exactly, e.g. ${entry.replace(/^[*.]+/, '')}`;
  }
  if (!DOMAIN.test(entry))
    return `has ${JSON.stringify(entry)}, which is not a domain, e.g. example.com`;
  return undefined;
}

/** Why `entry` is not an email address; undefined when it is one. */
export function emailProblem(entry: string): string | undefined {
  if (/[;\s]/.test(entry)) {
    return `has ${JSON.stringify(entry)}: separate entries with commas, e.g. a@example.com,b@example.com`;
  }
  const at = entry.lastIndexOf('@');
  if (at === -1 && DOMAIN.test(entry)) {
    return `has ${JSON.stringify(entry)}, a domain: put domains in ALLOWED_DOMAINS`;
  }
  if (at < 1 || !DOMAIN.test(entry.slice(at + 1)) || entry.slice(0, at).includes('@')) {
    return `has ${JSON.stringify(entry)}, which is not an email address, e.g. someone@example.com`;
  }
  return undefined;
}

/** A comma list whose every entry passes `check`; each bad entry is its own problem. */
function checkedList(check: (entry: string) => string | undefined) {
  return commaList()
    .superRefine((entries, ctx) => {
      for (const entry of entries) {
        const message = check(entry);
        if (message !== undefined) ctx.addIssue({ code: 'custom', message });
      }
    })
    .default([]);
}

/** ALLOWED_DOMAINS: domains only, no `@`, wildcard or other separator. */
export const allowedDomains = () => checkedList(domainProblem);

/** ALLOWED_EMAILS: email addresses only. */
export const allowedEmails = () => checkedList(emailProblem);
