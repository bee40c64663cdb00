/**
 * `npm start` (npm runs `npm run build` first): every Gatehouse service in one terminal.
 *
 * - Each service is its own process; its log lines carry its label.
 * - Without GOOGLE_CLIENT_ID the local dev-idp stands in for Google, so sign-in works on a
 *   fresh machine.
 * - Problems across services (ports, PUBLIC_URL, NODE_ENV, Google settings) are checked before
 *   anything starts, and each is printed once with its fix; then every service's environment
 *   goes through that service's own config loader, so what a service would refuse (a Google
 *   client id without its secret, `ALLOWED_DOMAINS=@example.com`) stops npm start up front.
 * - A service that exits before the gateway is ready (start-up) stops every service, exit 1,
 *   with its own lines above. Once ready, a service that dies is reported loudly and the
 *   others keep running: the gateway shows the outage on /readyz instead of vanishing with it.
 *   When the gateway dies, nothing is left to use, so the runner stops everything and exits 1.
 * - Ctrl-C or SIGTERM is passed to every service; the runner waits for them all, then exits.
 *
 * A `.env` file at the repository root is loaded first (variables already set win). A variable
 * (there or in the environment) that nothing reads but is a typo away from one that is read
 * (`GOOGLE_CLIENT_SECERT`) is warned about once, with the name it probably meant.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout } from 'node:timers';
import { parseEnv } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startService } from './lib/child.mjs';
import { paint, prefix, wantsColor } from './lib/log-line.mjs';
import { configProblems, misspeltInEnv } from './lib/check-configs.mjs';
import { takenPorts } from './lib/check-ports.mjs';
import { DEV_IDP, PlanError, planServices, PORT_VARIABLES } from './lib/plan.mjs';
import { waitForReady } from './lib/wait-ready.mjs';

/** Backstop after the services' own drain deadline (10 s by default). */
const FORCE_KILL_AFTER_MS = 15_000;
/** npm forwards the terminal's SIGINT too, so one Ctrl-C can arrive twice in a row. */
const REPEAT_SIGNAL_GRACE_MS = 1_000;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const colors = wantsColor(process.stdout, process.env);
const write = (line) => process.stdout.write(`${line}\n`);
const say = (message, color = 'yellow') =>
  write(
    `${prefix('start', color, colors)} ${paint(message, color === 'red' ? 'red' : undefined, colors)}`,
  );

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  say(
    `Node.js ${process.versions.node} is too old: Gatehouse needs Node.js 24. Run \`npm start\` ` +
      '(npm scripts use the Node.js 24 that `npm ci` installs), not `node scripts/start.mjs`.',
    'red',
  );
  process.exit(1);
}

const envFile = join(root, '.env');
if (existsSync(envFile)) {
  process.loadEnvFile(envFile);
  say('loaded .env');
}

const plan = planOrExit(process.env);
const missing = plan.services.filter((s) => !existsSync(join(root, s.dir, 'dist', 'main.js')));
if (missing.length > 0) {
  say(
    `not built: ${missing.map((s) => s.dir).join(', ')}. Run \`npm run build\` (npm start does).`,
    'red',
  );
  process.exit(1);
}
const exampleEnv = join(root, '.env.example');
const composeVariables = existsSync(exampleEnv)
  ? Object.keys(parseEnv(readFileSync(exampleEnv, 'utf8')))
  : [];
for (const { name, message } of await misspeltInEnv(process.env, root, [
  ...Object.keys(PORT_VARIABLES),
  ...composeVariables,
])) {
  say(message);
  for (const service of plan.services) delete service.env[name];
}
const refused = await configProblems(plan, root);
if (refused.length > 0) {
  say(new PlanError(refused).message, 'red');
  process.exit(1);
}
const busy = await takenPorts(
  plan,
  plan.services[0].env.HOST,
  plan.devMode
    ? ['gateway', 'metrics', 'auth', 'api', 'devIdp']
    : ['gateway', 'metrics', 'auth', 'api'],
);
if (busy.length > 0) {
  say(new PlanError(busy).message, 'red');
  process.exit(1);
}
if (plan.devMode) announceDevMode(plan, plan.services.find((s) => s.label === 'auth').env);

const running = new Set();
let stoppingSince = null;
let failed = false;
// Until the gateway is ready, a service that exits is a start-up failure that stops them all.
let ready = false;

for (const service of plan.services) {
  const started = startService(service, { root, colors, write });
  running.add(started);
  // The pid lets a developer (and test/start-process.test.ts) signal one service on its own.
  if (started.child.pid !== undefined) say(`${started.label} started (pid ${started.child.pid})`);
  started.exited.then((exit) => onExit(started, exit));
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// The terminal closing: the services run in their own process groups and would not hear it.
process.on('SIGHUP', () => stop('SIGTERM'));
// Never leave a service behind, even if this script itself fails.
process.on('exit', () => running.forEach(({ child }) => child.kill('SIGKILL')));

waitForReady(plan.gatewayUrl, {
  shouldStop: () => stoppingSince !== null || !isRunning('gateway'),
  onSlow: (answer) =>
    say(
      answer
        ? `the gateway is up but not ready yet: ${answer.body.trim()}`
        : `the gateway is not answering on ${plan.gatewayUrl} yet`,
    ),
}).then((answered) => {
  if (!answered) return;
  ready = true;
  say(`Gatehouse is ready: open ${plan.publicUrl}`, 'green');
  if (plan.publicUrl !== plan.gatewayUrl)
    say(`(the gateway listens on ${plan.gatewayUrl})`, 'green');
  say('Ctrl-C stops every service.', 'green');
});

function onExit(started, { code, signal }) {
  running.delete(started);
  const how = signal ? `signal ${signal}` : `code ${code}`;
  if (stoppingSince !== null) {
    if (code !== 0 && signal === null) failed = true;
    say(`${started.label} stopped (${how})`);
  } else {
    failed = true;
    say(`${started.label} EXITED UNEXPECTEDLY (${how}). ${aftermath(started.label)}`, 'red');
    if ((started.label === 'gateway' || !ready) && running.size > 0) {
      stop(`${started.label} exited`);
    }
  }
  if (running.size === 0) process.exit(failed ? 1 : 0);
}

function stop(signal) {
  if (stoppingSince !== null) {
    if (Date.now() - stoppingSince < REPEAT_SIGNAL_GRACE_MS) return;
    say(`${signal} again: killing ${labels()}`, 'red');
    running.forEach(({ child }) => child.kill('SIGKILL'));
    return;
  }
  stoppingSince = Date.now();
  say(`${signal}: stopping ${labels()} (press Ctrl-C again to kill them)`);
  const sent = signal.startsWith('SIG') ? signal : 'SIGTERM';
  running.forEach(({ child }) => child.kill(sent));
  setTimeout(() => {
    say(`still running after ${FORCE_KILL_AFTER_MS / 1000}s, killing ${labels()}`, 'red');
    running.forEach(({ child }) => child.kill('SIGKILL'));
  }, FORCE_KILL_AFTER_MS).unref();
}

/** What the crash means for the rest, true to what the runner does next. */
function aftermath(label) {
  const fix = 'Fix the problem above, then restart npm start.';
  if (running.size === 0) return `No service is left running. ${fix}`;
  if (label === 'gateway') return `Nothing can be reached without it: stopping ${labels()}. ${fix}`;
  if (!ready) return `It failed while Gatehouse was starting: stopping ${labels()}. ${fix}`;
  return `${labels()} keep running; the gateway reports the outage on /readyz. ${fix}`;
}

function isRunning(label) {
  return [...running].some((started) => started.label === label);
}

function labels() {
  return [...running].map((started) => started.label).join(', ') || 'nothing';
}

function planOrExit(env) {
  try {
    return planServices(env);
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    say(error.message, 'red');
    process.exit(1);
  }
}

function announceDevMode(plan, authEnv) {
  const admitted = [
    authEnv.ALLOWED_EMAILS && `ALLOWED_EMAILS=${authEnv.ALLOWED_EMAILS}`,
    authEnv.ALLOWED_DOMAINS && `ALLOWED_DOMAINS=${authEnv.ALLOWED_DOMAINS}`,
  ].filter(Boolean);
  const why = process.env.GOOGLE_CLIENT_ID
    ? `GOOGLE_CLIENT_ID is the dev-idp's own ${DEV_IDP.clientId}`
    : 'GOOGLE_CLIENT_ID unset';
  say(
    `DEV MODE: no Google client configured (${why}), so the local dev-idp (${plan.devIdpIssuer}) stands in for Google.`,
  );
  say(
    `  Sign in with any address it admits (${admitted.join(', ')}), e.g. ${exampleAddress(authEnv)}.`,
  );
  say('  For real Google: set GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET and ALLOWED_EMAILS or');
  say('  ALLOWED_DOMAINS in .env (README: "Register the Google OAuth client").');
}

/** An address the allowlist really admits, so the hint works as printed. */
function exampleAddress(authEnv) {
  const first = (list) =>
    (list ?? '')
      .split(',')
      .map((item) => item.trim())
      .find(Boolean);
  const email = first(authEnv.ALLOWED_EMAILS);
  if (email) return email;
  return `developer@${first(authEnv.ALLOWED_DOMAINS) ?? DEV_IDP.allowedDomain}`;
}
