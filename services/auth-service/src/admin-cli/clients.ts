import { runClientsCommand } from './clients-command.js';

// Process boundary of `npm run clients -- ...`: real environment, real clock, real exit code.
process.exitCode = await runClientsCommand(
  process.argv.slice(2),
  process.env,
  { out: (line) => console.log(line), err: (line) => console.error(line) },
  Date.now(),
);
