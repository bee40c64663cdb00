import { runKeysCommand } from './keys-command.js';

// Process boundary of `npm run keys -- ...`: real environment, real clock, real exit code.
process.exitCode = await runKeysCommand(
  process.argv.slice(2),
  process.env,
  { out: (line) => console.log(line), err: (line) => console.error(line) },
  Date.now(),
);
