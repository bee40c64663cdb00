/* eslint-disable @typescript-eslint/no-explicit-any -- rendered YAML is walked as plain JSON; kubernetes-models checks its shape */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { SERVICES } from './support/service-configs.js';

/**
 * deploy/kubernetes cannot drift from the code or from the rules: the base and every overlay
 * render with `kubectl kustomize` (.ci/run installs Debian's kubectl), every object passes the
 * Kubernetes schema (kubernetes-models), every container keeps the security context, probes,
 * resources and drain timing, and each service's environment passes its own config loader.
 * Where the auth-service's state lives decides the rest: SQLite (base, overlays/example) is one
 * replica on its volume; PostgreSQL (DATABASE_URL, overlays/postgres) rolls and scales.
 */
const root = new URL('..', import.meta.url).pathname;
const overlays = readdirSync(`${root}deploy/kubernetes/overlays`).map((name) => `overlays/${name}`);
const targets = ['base', ...overlays];

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, any>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

function render(target: string): K8sObject[] {
  const yaml = execFileSync('kubectl', ['kustomize', `${root}deploy/kubernetes/${target}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(yaml).map((doc) => doc.toJS() as K8sObject);
}

const rendered = targets.map((target) => [target, render(target)] as const);
const deploymentsOf = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'Deployment');
const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};

/** The kubernetes-models class for an object: `apps/v1` Deployment, core `v1` Service... */
async function modelFor(object: K8sObject) {
  const module = (await import(`kubernetes-models/${object.apiVersion}`)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const Model = module[object.kind];
  if (!Model) throw new Error(`kubernetes-models has no ${object.apiVersion} ${object.kind}`);
  return new Model(object);
}

/** A container's environment as the pod would see it, references to ConfigMap/Secret resolved. */
function environmentOf(objects: K8sObject[], container: any): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) env[entry.name] = String(entry.value);
    else if (entry.valueFrom?.configMapKeyRef) {
      const { name, key } = entry.valueFrom.configMapKeyRef;
      const value = find(objects, 'ConfigMap', name).data?.[key];
      if (value === undefined) throw new Error(`ConfigMap ${name} has no ${key}`);
      env[entry.name] = value;
    } else if (entry.valueFrom?.secretKeyRef) {
      const { name, key } = entry.valueFrom.secretKeyRef;
      const value = find(objects, 'Secret', name).stringData?.[key];
      if (value === undefined) throw new Error(`Secret ${name} has no ${key}`);
      env[entry.name] = value;
    } else throw new Error(`env ${entry.name}: unsupported source`);
  }
  return env;
}

/** The auth-service container's environment in a rendered target. */
const authEnvironment = (objects: K8sObject[]) =>
  environmentOf(
    objects,
    find(objects, 'Deployment', 'auth-service').spec!.template.spec.containers[0],
  );
const onPostgres = rendered.filter(
  ([, objects]) => authEnvironment(objects).DATABASE_URL !== undefined,
);
const onSqlite = rendered.filter(
  ([, objects]) => authEnvironment(objects).DATABASE_URL === undefined,
);

describe.each(rendered)('deploy/kubernetes/%s', (_target, objects) => {
  const deployments = deploymentsOf(objects);

  it('when rendered, then identity providers can be added from an optional ConfigMap and Secret, below the explicit variables', () => {
    const container = find(objects, 'Deployment', 'auth-service').spec!.template.spec.containers[0];
    expect(container.envFrom).toEqual([
      { configMapRef: { name: 'gatehouse-providers', optional: true } },
      { secretRef: { name: 'gatehouse-provider-secrets', optional: true } },
    ]);
  });

  it('when rendered, then it runs the gateway, auth-service and api-service, never the dev-idp', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
      'api-service',
      'auth-service',
      'gateway',
    ]);
    expect(JSON.stringify(objects)).not.toContain('dev-idp');
  });

  it('when each object is checked, then it is valid against the Kubernetes schema', async () => {
    for (const object of objects) {
      const model = await modelFor(object);
      expect(() => model.validate()).not.toThrow();
    }
  });

  it.each(['gateway', 'auth-service', 'api-service'])(
    'when %s is rendered, then every container is non-root, read-only, unprivileged and bounded',
    (name) => {
      const pod = find(objects, 'Deployment', name).spec!.template.spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.containers.length).toBeGreaterThan(0);
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(container.securityContext).toEqual(
          expect.objectContaining({
            runAsNonRoot: true,
            runAsUser: 1000,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          }),
        );
        expect(container.securityContext.privileged).not.toBe(true);
        expect(container.resources.requests).toEqual(
          expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
        );
        expect(container.resources.limits).toEqual(
          expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
        );
        expect(container.readinessProbe.httpGet.path).toBe('/readyz');
        expect(container.livenessProbe.httpGet.path).toBe('/healthz');
        const tmp = container.volumeMounts.find((m: any) => m.mountPath === '/tmp');
        expect(pod.volumes.find((v: any) => v.name === tmp.name).emptyDir).toBeDefined();
      }
    },
  );

  it.each(['gateway', 'auth-service', 'api-service'])(
    'when %s shuts down, then preStop < SHUTDOWN_TIMEOUT_MS and the grace period exceeds both',
    (name) => {
      const pod = find(objects, 'Deployment', name).spec!.template.spec;
      for (const container of pod.containers) {
        const [command, seconds] = container.lifecycle.preStop.exec.command;
        expect(command).toBe('sleep');
        const preStopMs = Number(seconds) * 1000;
        const service = SERVICES.find((s) => s.name === name)!;
        const config = service.config.loadConfig(environmentOf(objects, container)) as {
          shutdownTimeoutMs: number;
        };
        expect(preStopMs).toBeGreaterThan(0);
        expect(preStopMs).toBeLessThan(config.shutdownTimeoutMs);
        expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
          preStopMs + config.shutdownTimeoutMs,
        );
      }
    },
  );

  it.each(['gateway', 'auth-service', 'api-service'])(
    'when %s gets its environment, then it sets only variables the service reads and its own config loader accepts it',
    (name) => {
      const service = SERVICES.find((s) => s.name === name)!;
      for (const container of find(objects, 'Deployment', name).spec!.template.spec.containers) {
        const env = environmentOf(objects, container);
        for (const variable of Object.keys(env))
          expect(Object.keys(service.config.envSpec)).toContain(variable);
        expect(env['NODE_ENV']).toBe('production');
        expect(() => service.config.loadConfig(env)).not.toThrow();
      }
    },
  );

  it('when the stateless services roll, then no pod goes before its replacement is ready, and each has a PDB and an HPA', () => {
    for (const name of ['gateway', 'api-service']) {
      const deployment = find(objects, 'Deployment', name);
      expect(deployment.spec!.strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
      });
      expect(find(objects, 'HorizontalPodAutoscaler', name).spec!.minReplicas).toBeGreaterThan(1);
    }
    for (const name of ['gateway', 'auth-service', 'api-service']) {
      expect(find(objects, 'PodDisruptionBudget', name).spec!.selector.matchLabels).toEqual({
        'app.kubernetes.io/name': name,
      });
    }
  });

  it("when the Ingress is rendered, then it serves PUBLIC_URL's host through the gateway only", () => {
    const ingress = find(objects, 'Ingress', 'gatehouse');
    const publicUrl = new URL(find(objects, 'ConfigMap', 'gatehouse-config').data!.PUBLIC_URL!);
    expect(ingress.spec!.rules.map((r: any) => r.host)).toEqual([publicUrl.host]);
    expect(ingress.spec!.tls[0].hosts).toEqual([publicUrl.host]);
    const backends = ingress.spec!.rules.flatMap((r: any) =>
      r.http.paths.map((p: any) => p.backend.service.name),
    );
    expect(new Set(backends)).toEqual(new Set(['gateway']));
    expect(find(objects, 'ConfigMap', 'gatehouse-config').data!.JWT_ISSUER).toBe(
      `${publicUrl.origin}/auth`,
    );
  });
});

it('when the targets are sorted by storage, then the base and the example are SQLite and overlays/postgres is PostgreSQL', () => {
  expect(onSqlite.map(([target]) => target)).toEqual(
    expect.arrayContaining(['base', 'overlays/example']),
  );
  expect(onPostgres.map(([target]) => target)).toEqual(['overlays/postgres']);
});

describe.each(onSqlite)('deploy/kubernetes/%s (SQLite)', (_target, objects) => {
  it('when the auth-service is rendered, then it is one replica on its volume (SQLite), recreated, never scaled', () => {
    const deployment = find(objects, 'Deployment', 'auth-service');
    expect(deployment.spec!.replicas).toBe(1);
    expect(deployment.spec!.strategy).toEqual({ type: 'Recreate' });
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'auth-service');
    expect([hpa.spec!.minReplicas, hpa.spec!.maxReplicas]).toEqual([1, 1]);
    const pod = deployment.spec!.template.spec;
    const dataDir = environmentOf(objects, pod.containers[0]).DATA_DIR;
    const mount = pod.containers[0].volumeMounts.find((m: any) => m.mountPath === dataDir);
    const volume = pod.volumes.find((v: any) => v.name === mount.name);
    find(objects, 'PersistentVolumeClaim', volume.persistentVolumeClaim.claimName);
  });
});

describe.each(onPostgres)('deploy/kubernetes/%s (PostgreSQL)', (_target, objects) => {
  it('when the auth-service is rendered, then it rolls like the stateless services and scales past one replica', () => {
    const deployment = find(objects, 'Deployment', 'auth-service');
    expect(deployment.spec!.replicas).toBeGreaterThan(1);
    expect(deployment.spec!.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'auth-service');
    expect(hpa.spec!.minReplicas).toBeGreaterThan(1);
    expect(hpa.spec!.maxReplicas).toBeGreaterThanOrEqual(hpa.spec!.minReplicas);
    expect(find(objects, 'PodDisruptionBudget', 'auth-service').spec!.maxUnavailable).toBe(1);
  });

  it('when the auth-service is rendered, then it has no volume, claim or DATA_DIR: its state is in PostgreSQL', () => {
    const pod = find(objects, 'Deployment', 'auth-service').spec!.template.spec;
    expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
    expect(pod.volumes.filter((v: any) => v.emptyDir === undefined)).toEqual([]);
    expect(authEnvironment(objects).DATA_DIR).toBeUndefined();
  });

  it('when the auth-service gets its database and keys, then DATABASE_URL, KEY_ENCRYPTION_KEY and SESSION_KEYS come from the Secret', () => {
    const env = find(objects, 'Deployment', 'auth-service').spec!.template.spec.containers[0].env;
    for (const name of ['DATABASE_URL', 'KEY_ENCRYPTION_KEY', 'SESSION_KEYS']) {
      const entry = env.find((e: any) => e.name === name);
      expect({ name, ref: entry?.valueFrom?.secretKeyRef?.name }).toEqual({
        name,
        ref: 'gatehouse-secrets',
      });
    }
    expect(new URL(authEnvironment(objects).DATABASE_URL!).protocol).toBe('postgres:');
  });
});

describe('the Kubernetes validator', () => {
  it('when a Deployment is malformed, then kubernetes-models refuses it', async () => {
    const [, objects] = rendered[0]!;
    const broken = structuredClone(find(objects, 'Deployment', 'gateway'));
    broken.spec!.template.spec.containers[0].ports[0].containerPort = 'eight thousand';
    const model = await modelFor(broken);
    expect(() => model.validate()).toThrow(/containerPort must be integer/);
  });
});
