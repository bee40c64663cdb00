/** Exit codes: 0 done, 1 failed (server, grant, file), 2 usage. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}
