import { runUsersCommand } from './users-command.js';

// Process boundary of `npm run users -- ...`: real environment, real clock, real exit code.
process.exitCode = await runUsersCommand(
  process.argv.slice(2),
  process.env,
  { out: (line) => console.log(line), err: (line) => console.error(line) },
  Date.now(),
);
