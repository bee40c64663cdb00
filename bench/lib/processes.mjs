/**
 * The processes a benchmark starts: spawn, wait until they answer, read their CPU time, stop.
 * Every child and temp dir is also recorded module-wide, so `cleanUpOnExit()` can stop them
 * when the run is interrupted (Ctrl-C, SIGTERM) or dies on an error, not only when a bench's
 * own `finally` gets to run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const liveChildren = new Set();
const liveDirs = new Set();
const STOP_GRACE_MS = 5_000;

/** Records `child` until it exits, for `stopEverything()`. Returns it. */
export function track(child) {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  // A failed spawn (ENOENT) emits 'error', not 'exit'; keep it for waitUntilOk to report.
  child.on('error', (err) => {
    child.spawnError = err;
    liveChildren.delete(child);
  });
  return child;
}

/**
 * What one bench owns: the children and temp dirs it made, stopped and removed in reverse
 * order by `close()`. Children get only PATH and the env given, and their stdout (access logs)
 * goes nowhere; stderr stays visible so a crash explains itself.
 */
export function createScope() {
  const cleanups = [];
  const scope = {
    spawn(command, args = [], env = {}) {
      const child = track(
        spawn(command, args, {
          env: { PATH: process.env.PATH, ...env },
          stdio: ['ignore', 'ignore', 'inherit'],
        }),
      );
      cleanups.push(() => stop(child));
      return child;
    },
    node: (script, args = [], env = {}) => scope.spawn(process.execPath, [script, ...args], env),
    tempDir(prefix = 'gatehouse-bench-') {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      liveDirs.add(dir);
      cleanups.push(() => removeDir(dir));
      return dir;
    },
    defer: (cleanup) => cleanups.push(cleanup),
    async close() {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    },
  };
  return scope;
}

/** SIGTERM, then SIGKILL if the child is still there after a grace period. */
export function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null || child.spawnError) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops every child any scope started and removes every temp dir: the last-resort cleanup. */
export async function stopEverything() {
  await Promise.all([...liveChildren].map(stop));
  for (const dir of liveDirs) removeDir(dir);
}

/**
 * On SIGINT/SIGTERM, stops all children and exits 130; on any exit, SIGKILLs what is left
 * (an uncaught error must not leave servers running behind it).
 */
export function cleanUpOnExit() {
  let stopping = false;
  const onSignal = async () => {
    if (stopping) return;
    stopping = true;
    console.error('\ninterrupted: stopping benchmark processes');
    await stopEverything();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    for (const dir of liveDirs) removeDir(dir);
  });
}

function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

/**
 * Polls `url` until it answers 2xx, for at most `timeoutMs`; fails at once if `child` exits,
 * so a service that refuses its configuration is reported instead of waited for.
 */
export async function waitUntilOk(url, { child, headers = {}, timeoutMs = 10_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child?.spawnError) throw new Error(`${url}: could not start: ${child.spawnError.message}`);
    if (child && child.exitCode !== null) {
      throw new Error(`${url}: the process exited with ${child.exitCode} before answering`);
    }
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(2_000) }).catch(() => null);
    if (res?.ok) return;
    if (res) last = `${res.status}: ${await res.text()}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 2xx within ${timeoutMs} ms (last: ${last})`);
}

/**
 * CPU time (user + system, all threads) a process has used, in µs, from /proc; NaN where
 * there is no /proc. Per request it stays comparable when other work shares the machine and
 * throughput swings. Resolution is one clock tick (10 ms), so read it across many requests.
 */
export function cpuMicros(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return NaN;
  }
}

/** The first child process of `pid` (e.g. nginx's one worker), from /proc; undefined elsewhere. */
export function firstChildPid(pid) {
  const parentOf = (entry) => {
    try {
      return Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
    } catch {
      return undefined; // gone since readdir
    }
  };
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry) && parentOf(entry) === pid)
      .map(Number)[0];
  } catch {
    return undefined; // no /proc: CPU figures for that process stay NaN
  }
}

/** Throws unless the built entry point `file` exists. */
export function requireBuilt(file) {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
}
