import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './until.js';

/** A proxy from Debian's packages run in front of Gatehouse with one of deploy/forward-auth's files. */
export interface FrontProxy {
  readonly url: string;
  /** What the proxy printed, for a failing test's message. */
  output(): string;
  close(): Promise<void>;
}

export interface FrontProxyAddresses {
  /** Where it listens, e.g. 18088 (on 127.0.0.1). */
  readonly port: number;
  /** The gateway, e.g. http://127.0.0.1:4567. */
  readonly gateway: string;
  /** The app, e.g. http://127.0.0.1:4568. */
  readonly app: string;
}

const REPO_FILE = (name: string) => new URL(`../../deploy/forward-auth/${name}`, import.meta.url);

/**
 * deploy/forward-auth/nginx.conf as README shows it, with only its three addresses replaced,
 * inside a minimal main configuration; `nginx -p` keeps every file in a temporary prefix.
 */
export async function startNginx(addresses: FrontProxyAddresses): Promise<FrontProxy> {
  const prefix = mkdtempSync(join(tmpdir(), 'gatehouse-nginx-'));
  for (const dir of ['tmp', 'logs']) mkdirSync(join(prefix, dir));
  const site = readFileSync(REPO_FILE('nginx.conf'), 'utf8')
    .replaceAll('listen 80;', `listen 127.0.0.1:${addresses.port};`)
    .replaceAll('http://gatehouse:8080', addresses.gateway)
    .replaceAll('http://app:3000', addresses.app);
  writeFileSync(join(prefix, 'gatehouse.conf'), site);
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  include ${prefix}/gatehouse.conf;
}
`,
  );
  const child = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return started(child, addresses.port, prefix, () =>
    readFileSync(join(prefix, 'logs', 'error.log'), 'utf8'),
  );
}

/**
 * deploy/forward-auth/Caddyfile as README shows it, with only its three addresses replaced
 * (the site served over plain http on loopback) and Caddy's admin endpoint off.
 */
export async function startCaddy(addresses: FrontProxyAddresses): Promise<FrontProxy> {
  const prefix = mkdtempSync(join(tmpdir(), 'gatehouse-caddy-'));
  const host = (url: string) => new URL(url).host;
  const site = readFileSync(REPO_FILE('Caddyfile'), 'utf8')
    .replace('app.example.com {', `http://127.0.0.1:${addresses.port} {`)
    .replaceAll('gatehouse:8080', host(addresses.gateway))
    .replaceAll('app:3000', host(addresses.app));
  const file = join(prefix, 'Caddyfile');
  writeFileSync(file, `{\n\tadmin off\n\tstorage file_system ${prefix}\n}\n\n${site}`);
  const child = spawn('caddy', ['run', '--config', file, '--adapter', 'caddyfile'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: prefix, XDG_DATA_HOME: prefix, XDG_CONFIG_HOME: prefix },
  });
  return started(child, addresses.port, prefix, () => '');
}

async function started(
  child: ChildProcess,
  port: number,
  prefix: string,
  logFile: () => string,
): Promise<FrontProxy> {
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = () => {
    let log = '';
    try {
      log = logFile();
    } catch {
      // not written yet
    }
    return `${printed}\n${log}`;
  };
  const close = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    await until(`the proxy on port ${port}`, 10_000, async () => {
      if (child.exitCode !== null) throw new Error(`exited: ${output()}`);
      const res = await fetch(`http://127.0.0.1:${port}/app/`, { redirect: 'manual' });
      await res.arrayBuffer();
      return true;
    });
  } catch (err) {
    await close();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, output, close };
}
