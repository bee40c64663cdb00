import { runRoutesCommand } from './routes-command.js';

// Process boundary of `npm run routes -- ...`: real environment, real exit code.
process.exitCode = await runRoutesCommand(process.argv.slice(2), process.env, {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
