/**
 * The `client_id` of the browser session: the demo page and any same-origin page that trades
 * the `/auth` session cookie for an access token at POST /auth/token. Access tokens issued to
 * a session carry it (RFC 9068 section 2.2), as tokens of later grants carry their own client.
 */
export const WEB_CLIENT_ID = 'gatehouse-web';
