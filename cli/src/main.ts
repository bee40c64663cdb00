#!/usr/bin/env node
import { runGatehouse } from './run-gatehouse.js';

// Process boundary of `gatehouse ...`: real environment, network, clock and exit code.
process.exitCode = await runGatehouse(process.argv.slice(2), {
  env: process.env,
  fetch: globalThis.fetch,
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
