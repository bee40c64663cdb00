/**
 * A listen port another program holds: an expected start-up failure, printed as its one-line
 * message (no stack) naming the variable that sets the port.
 *
 * @example
 * // GATEWAY_PORT 28080 is in use by another program; pick another with GATEWAY_PORT=...
 */
export class PortInUseError extends Error {
  readonly code = 'ERR_PORT_IN_USE';

  constructor(
    readonly variable: string,
    readonly port: number,
    host: string,
  ) {
    super(
      `${variable} ${port} is in use by another program (on ${host}); pick another with ${variable}=...`,
    );
    this.name = 'PortInUseError';
  }
}
