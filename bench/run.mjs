#!/usr/bin/env node
/**
 * `npm run bench`: runs every benchmark module in turn (each exports a `run...Bench()` that
 * prints its own table). Needs `npm run build` first, which the npm script does.
 */
import { runGatewayBench } from './gateway.mjs';

const benches = [['gateway', runGatewayBench]];

let failed = false;
for (const [name, run] of benches) {
  try {
    await run();
  } catch (err) {
    failed = true;
    console.error(`bench ${name} failed:`, err);
  }
}
process.exitCode = failed ? 1 : 0;
