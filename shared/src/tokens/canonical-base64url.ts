const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * True when `segment` (already known to use only base64url characters) is the one canonical
 * unpadded encoding of its bytes: the bits its last character carries beyond the data are zero.
 * Decoders ignore those bits, so without this check up to 15 other spellings of a token's
 * signature would verify, and a token string could no longer name one token (caches,
 * denylists and logs keyed by it would each see several).
 *
 * @example
 * isCanonicalBase64url('AQ'); // true: the byte 0x01
 * isCanonicalBase64url('AR'); // false: also decodes to 0x01
 */
export function isCanonicalBase64url(segment: string): boolean {
  const rest = segment.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const value = ALPHABET.indexOf(segment[segment.length - 1]!);
  return (value & (rest === 2 ? 0x0f : 0x03)) === 0;
}
