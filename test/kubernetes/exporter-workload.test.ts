import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseConfigFile } from 'yaml';
import { parseConfig } from '../../src/app/config.js';
import { find, render } from './builds.js';
import type { K8sObject } from './kustomize.js';

const dockerfile = readFileSync(
  fileURLToPath(new URL('../../Dockerfile', import.meta.url)),
  'utf8',
);
const defaultPort = parseConfig({}).server.port;

type Probe = { httpGet: { path: string; port: string; scheme: string } };
type Container = {
  image: string;
  ports: { name: string; containerPort: number }[];
  env: { name: string; value?: string; valueFrom?: unknown }[];
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string }[];
};
type PodSpec = {
  securityContext: Record<string, unknown>;
  automountServiceAccountToken: boolean;
  containers: Container[];
  volumes: { name: string; secret?: { secretName: string }; emptyDir?: object }[];
};
type Workload = K8sObject & {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    strategy: { rollingUpdate: { maxUnavailable: number } };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
};

const deploymentOf = (objects: K8sObject[]) =>
  find(objects, 'Deployment', 'chom-exporter') as Workload;
const base = render('base');
const deployment = deploymentOf(base);
const pod = deployment.spec.template.spec;
const container = pod.containers[0] as Container;

describe('exporter Deployment', () => {
  it("runs as the image's non-root user, on a read-only root filesystem, without privileges", () => {
    expect(dockerfile).toMatch(/^USER node$/m); // uid 1000 in the official Node.js images
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    // The only writable place is an emptyDir at /tmp.
    const writable = container.volumeMounts.filter(
      (m) => pod.volumes.find((v) => v.name === m.name)?.emptyDir,
    );
    expect(writable.map((m) => m.mountPath)).toEqual(['/tmp']);
  });

  it('listens where the Dockerfile and the configuration say, and probes /healthz and /readyz', () => {
    expect(dockerfile).toContain(`EXPOSE ${defaultPort}`);
    expect(container.ports).toEqual([
      { name: 'metrics', containerPort: defaultPort, protocol: 'TCP' },
    ]);
    expect(container.env.find((e) => e.name === 'CHOM_PORT')?.value).toBe(String(defaultPort));
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 'metrics' });
    expect(container.startupProbe.httpGet).toMatchObject({ path: '/healthz', port: 'metrics' });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 'metrics' });
    expect(container.resources.requests).toMatchObject({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container.resources.limits?.memory).toEqual(expect.any(String));
  });

  it('takes secrets only as files of a mounted Secret, which the base leaves to you', () => {
    const secretVolume = pod.volumes.find((v) => v.secret);
    const mount = container.volumeMounts.find((m) => m.name === secretVolume?.name);
    const fileVariables = container.env.filter((e) => e.name.endsWith('_FILE'));
    expect(fileVariables.map((e) => e.name).sort()).toEqual([
      'CHOM_DATABASE_URL_FILE',
      'CHOM_STATE_DATABASE_URL_FILE',
    ]);
    for (const variable of fileVariables)
      expect(variable.value).toMatch(new RegExp(`^${mount?.mountPath}/`));
    expect(
      container.env.filter((e) => e.valueFrom || /URL$|KEY$|SECRET$|TOKEN$/.test(e.name)),
    ).toEqual([]);
    expect(base.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('keeps one of two replicas through rollouts and evictions', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    const budget = find(base, 'PodDisruptionBudget', 'chom-exporter').spec as {
      minAvailable: number;
      selector: { matchLabels: Record<string, string> };
    };
    expect(budget.minAvailable).toBe(1);
    const podLabels = deployment.spec.template.metadata.labels;
    for (const selector of [
      budget.selector.matchLabels,
      deployment.spec.selector.matchLabels,
      (find(base, 'Service', 'chom-exporter').spec as { selector: Record<string, string> })
        .selector,
    ])
      expect(podLabels).toMatchObject(selector);
  });

  it('production sets your image and the labels your Prometheus selects, and restricts traffic', () => {
    const production = render('production');
    const image = (deploymentOf(production).spec.template.spec.containers[0] as Container).image;
    expect(image).toMatch(/^registry\.example\.com\/chom-exporter:\d+\.\d+\.\d+$/);
    expect(image.split(':')[1]).toBe(container.image.split(':')[1]);
    for (const kind of ['ServiceMonitor', 'PrometheusRule', 'AlertmanagerConfig'])
      expect(find(production, kind, 'chom-exporter').metadata.labels?.release, kind).toBe(
        'kube-prometheus-stack',
      );
    const policy = find(production, 'NetworkPolicy', 'chom-exporter').spec as {
      podSelector: { matchLabels: Record<string, string> };
      ingress: { ports: { port: string }[] }[];
    };
    expect(deployment.spec.template.metadata.labels).toMatchObject(policy.podSelector.matchLabels);
    expect(policy.ingress.flatMap((rule) => rule.ports.map((p) => p.port))).toEqual(['metrics']);
    expect(new Set(production.map((o) => o.metadata.namespace))).toEqual(
      new Set(['chom-exporter']),
    );
  });

  it.each(['production + scrape-https', 'production + scrape-https-basic-auth'])(
    '%s: the certificate is mounted where chom.yml reads it, and probes and scrape use HTTPS',
    (name) => {
      const objects = render(name);
      const secured = deploymentOf(objects).spec.template.spec;
      const securedContainer = secured.containers[0] as Container;
      const server = yamlOf(find(objects, 'ConfigMap', 'chom-exporter-config')).server as {
        tls: unknown;
      };
      // The TLS part only: the placeholder hash is checked by the pod test.
      const config = parseConfig({ server: { tls: server.tls } });
      const tlsVolume = secured.volumes.find((v) => v.secret?.secretName === 'chom-exporter-tls');
      const tlsMount = securedContainer.volumeMounts.find((m) => m.name === tlsVolume?.name);
      expect(config.server.tls?.certFile).toBe(`${tlsMount?.mountPath}/tls.crt`);
      expect(config.server.tls?.keyFile).toBe(`${tlsMount?.mountPath}/tls.key`);
      for (const probe of [
        securedContainer.startupProbe,
        securedContainer.livenessProbe,
        securedContainer.readinessProbe,
      ])
        expect(probe.httpGet.scheme).toBe('HTTPS');
      const endpoint = (
        find(objects, 'ServiceMonitor', 'chom-exporter').spec as {
          endpoints: Record<string, unknown>[];
        }
      ).endpoints[0];
      expect(endpoint).toMatchObject({
        scheme: 'https',
        tlsConfig: { ca: { secret: { name: 'chom-exporter-tls', key: 'ca.crt' } } },
      });
      expect('basicAuth' in (endpoint ?? {})).toBe(name.endsWith('basic-auth'));
    },
  );
});

function yamlOf(configMap: K8sObject): Record<string, unknown> {
  return parseConfigFile((configMap.data as Record<string, string>)['chom.yml'] ?? '');
}
