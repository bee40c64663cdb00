/**
 * The `client_id` of the `gatehouse` command-line tool: a built-in public client allowed the
 * device flow and refresh tokens (seeded by migration 004-clients).
 */
export const CLI_CLIENT_ID = 'gatehouse-cli';
