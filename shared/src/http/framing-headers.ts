/** The CSP directive that keeps a page out of every frame (CSP Level 2, section 7.7.3). */
export const FRAME_ANCESTORS_NONE = "frame-ancestors 'none'";

/** The framing-relevant headers of a response, as written so far (absent: undefined). */
export interface FramingState {
  contentType?: string | undefined;
  frameOptions?: string | undefined;
  /** Several CSP headers joined with `, `: each is a policy, and all of them apply. */
  contentSecurityPolicy?: string | undefined;
}

/** What to set so that the page cannot be framed (a type, so it is a header record too). */
export type FramingHeaders = {
  'X-Frame-Options': 'DENY';
  'Content-Security-Policy': string;
};

const PAGE_TYPE = /^\s*(text\/html|application\/xhtml\+xml)\s*(;|$)/i;
const FRAME_OPTIONS_POLICY = /^\s*(deny|sameorigin)\s*$/i;
const FRAME_ANCESTORS = /(^|[;,])\s*frame-ancestors(\s|;|,|$)/i;

/**
 * The headers that keep an HTML page out of frames (clickjacking), or undefined when there is
 * nothing to add. Rules:
 * - only pages are concerned: `text/html` and `application/xhtml+xml`;
 * - a page that states its own framing policy (a valid `X-Frame-Options`, or a CSP with
 *   `frame-ancestors`) keeps it: the gateway must not break an upstream that frames itself;
 * - otherwise `X-Frame-Options: DENY` (older browsers) and `frame-ancestors 'none'`, appended
 *   to the page's CSP when it has one, so its other directives stay as they were.
 *
 * @example
 * framingHeaders({ contentType: 'text/html', contentSecurityPolicy: "default-src 'self'" });
 * // { 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "default-src 'self'; frame-ancestors 'none'" }
 */
export function framingHeaders(state: FramingState): FramingHeaders | undefined {
  if (!PAGE_TYPE.test(state.contentType ?? '')) return undefined;
  const csp = state.contentSecurityPolicy?.trim() ?? '';
  if (FRAME_OPTIONS_POLICY.test(state.frameOptions ?? '') || FRAME_ANCESTORS.test(csp)) {
    return undefined;
  }
  const kept = csp.replace(/[\s;]+$/, '');
  return {
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy':
      kept === '' ? FRAME_ANCESTORS_NONE : `${kept}; ${FRAME_ANCESTORS_NONE}`,
  };
}
