import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { parseRoutes } from '../src/route-table/load-routes-file.js';
import { runRoutesCommand } from '../src/cli/routes-command.js';

const problemsOf = (text: string, env: Record<string, string> = {}) => {
  const result = parseRoutes(text, env);
  return result.ok ? [] : result.problems;
};
const route = (extra: string, base: Record<string, string> = {}) => {
  const keys = { name: 'reports', path: '/reports', to: 'http://reports:8000', ...base };
  const lines = Object.entries(keys).map(([key, value]) => `${key}: ${value}`);
  return `routes:\n  - ${lines.join('\n    ')}\n${extra}`;
};

describe('routes file validation', () => {
  it('when the file is the documented example, then every key is read', () => {
    const result = parseRoutes(
      route(`    strip_prefix: true
    auth: token
    allow:
      roles: [analyst, admin]
      scopes: [reports:read]
      emails: [boss@example.com]
      domains: [example.com]
      clients: [billing]
    methods: [get, POST]
    websocket: true
    timeout_ms: 30000
`),
      {},
    );
    expect(result).toEqual({
      ok: true,
      routes: [
        {
          name: 'reports',
          path: '/reports',
          to: ['http://reports:8000'],
          stripPrefix: true,
          auth: 'token',
          allow: {
            roles: ['analyst', 'admin'],
            scopes: ['reports:read'],
            emails: ['boss@example.com'],
            domains: ['example.com'],
            clients: ['billing'],
          },
          methods: ['GET', 'POST'],
          websocket: true,
          timeoutMs: 30000,
        },
      ],
    });
  });

  it('when optional keys are absent, then a route is token, any method, no websocket, no strip', () => {
    const result = parseRoutes(route(''), {});
    expect(result.ok && result.routes[0]).toMatchObject({
      auth: 'token',
      allow: undefined,
      methods: undefined,
      websocket: false,
      stripPrefix: false,
      timeoutMs: undefined,
    });
  });

  it('when `to` is a variable holding a comma list, then each replica is an origin', () => {
    const result = parseRoutes(route('', { to: '${UP}' }), {
      UP: 'http://a:1, http://b:2/',
    });
    expect(result.ok && result.routes[0]!.to).toEqual(['http://a:1', 'http://b:2']);
  });

  it.each([
    ['name: Reports', /routes\[0\]\) name: must be lower-case/],
    ['path: /reports/', /path: must be an absolute path prefix/],
    ['path: /auth', /path: must not be, be under or be above \/auth/],
    ['path: /auth/x', /path: must not be, be under or be above \/auth/],
    ['path: /healthz', /path: must not be/],
    ['path: /a/../b', /path: must not contain dot segments/],
    ['path: /a%2fb', /path: must be an absolute path prefix/],
    ['to: http://reports:8000/x', /to.0: .* must be a bare origin/],
    ['to: ftp://reports', /to.0: .* must be an http\(s\) origin/],
    ['to: [http://a:1, http://a:1]', /to: lists http:\/\/a:1 more than once/],
    ['auth: cookie', /auth: must be public, token or session/],
    ['methods: []', /methods: an empty list/],
    ['timeout_ms: 0', /timeout_ms: must be at least 1/],
    ['timeout_ms: 600001', /timeout_ms: must be at most/],
    ['colour: red', /unknown key colour/],
  ])('when a route has %s, then the problem names the route and the key', (line, problem) => {
    const [key, ...value] = line.split(': ');
    const text = ['name', 'path', 'to'].includes(key!)
      ? route('', { [key!]: value.join(': ') })
      : route(`    ${line}\n`);
    expect(problemsOf(text)).toContainEqual(expect.stringMatching(problem));
  });

  it('when several routes have problems, then every one is listed with its route', () => {
    const problems = problemsOf(`routes:
  - { name: a, path: /a, to: http://a:1, auth: public, allow: { roles: [x] } }
  - { name: a, path: /a, to: http://b:1, allow: { roles: [], colour: [x] } }
  - { name: c, path: /c, to: "\${MISSING}" }
`);
    expect(problems).toEqual([
      '${MISSING} is used but not set; set it or write ${MISSING:-default}',
      'route "a" (routes[0]) allow: needs auth: token or session (a public route checks no caller)',
      expect.stringMatching(/^route "a" \(routes\[1\]\) allow.roles: an empty list/),
      expect.stringMatching(/^route "a" \(routes\[1\]\) allow: unknown key colour/),
      expect.stringMatching(/^route "c" \(routes\[2\]\) to.0: /),
      expect.stringMatching(/^route "a" name: is used by more than one route/),
    ]);
  });

  it.each([
    ['routes: [', /at line 1, column \d+$/],
    ['- a', /must be a mapping with a "routes" list/],
    ['routes: 3', /^routes: must be a list of routes/],
    ['routes: []\nextra: 1', /unknown key extra/],
  ])('when the file is %j, then the problem says what the file must be', (text, problem) => {
    expect(problemsOf(text)).toEqual([expect.stringMatching(problem)]);
  });
});

describe('npm run routes -- check FILE', () => {
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runRoutesCommand(
      args,
      { API_SERVICE_URL: 'http://api:4002' },
      {
        out: (line) => out.push(line),
        err: (line) => err.push(line),
      },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('when the file is valid (the shipped default), then it exits 0 with a summary', async () => {
    const { code, out } = await run(['check', 'deploy/routes/routes.yaml']);
    expect(code).toBe(0);
    expect(out).toMatch(/api: \/api -> http:\/\/api:4002 \(public\)/);
  });

  it('when the file cannot be read or the arguments are wrong, then it exits 2', async () => {
    expect((await run(['check', 'gateway/no-such-file.yaml'])).code).toBe(2);
    expect((await run([])).code).toBe(2);
    expect((await run(['lint', 'x'])).code).toBe(2);
  });
});

describe('the routes files the deployments ship', () => {
  it('when compose and Kubernetes routes are read, then both are valid and declare the same routes', () => {
    const env = { API_SERVICE_URL: 'http://api-service:4002' };
    const compose = parseRoutes(readFileSync('deploy/routes/routes.yaml', 'utf8'), env);
    const configMap = parse(readFileSync('deploy/kubernetes/common/routes.yaml', 'utf8')) as {
      data: Record<string, string>;
    };
    const kubernetes = parseRoutes(configMap.data['routes.yaml']!, env);
    expect(compose).toEqual(kubernetes);
    expect(compose.ok && compose.routes.map((route) => route.name)).toEqual(['api']);
  });
});
