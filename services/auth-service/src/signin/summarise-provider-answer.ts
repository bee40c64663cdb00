import { wireWord } from './wire-word.js';

/** The most characters of a provider's answer that may reach a log line. */
const SUMMARY_LENGTH = 100;

/**
 * A failed token exchange as grant reports it (`response.error`), reduced to something
 * bounded and safe to log: the OAuth `error` word when there is one (never its
 * `error_description`), else the first SUMMARY_LENGTH printable characters of the answer with
 * HTML tags dropped. grant hands over a non-JSON body (a proxy's HTML error page) parsed as a
 * query string or raw, and a network failure as its message; none of it is logged whole.
 * grant keeps no HTTP status for an answer with a body, so none can be reported here.
 *
 * @example
 * summariseProviderAnswer({ error: 'invalid_grant' }); // 'error=invalid_grant'
 * summariseProviderAnswer('<html><title>502 Bad Gateway</title>...'); // '502 Bad Gateway ...'
 */
export function summariseProviderAnswer(error: unknown): string {
  const word = (error as { error?: unknown } | null)?.error;
  if (word !== undefined) return `error=${wireWord(word)}`;
  const text = typeof error === 'string' ? error : flatten(error);
  const printable = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (printable.length === 0) return 'no details';
  return printable.length > SUMMARY_LENGTH ? `${printable.slice(0, SUMMARY_LENGTH)}...` : printable;
}

/** A query-string-parsed body back to text: its keys and values in order. */
function flatten(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value ?? '');
  return Object.entries(value)
    .map(([key, inner]) => `${key} ${flatten(inner)}`)
    .join(' ');
}
