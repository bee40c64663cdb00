/** Where a CLI command writes; tests pass arrays, the process boundary the console. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}
