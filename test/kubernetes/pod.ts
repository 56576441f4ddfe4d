import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { find } from './builds.js';
import type { K8sObject } from './kustomize.js';

export type SecretData = Record<string, string>;

type Container = {
  args?: string[];
  env?: { name: string; value?: string }[];
  volumeMounts: { name: string; mountPath: string }[];
  readinessProbe: { httpGet: { path: string; scheme: string } };
  startupProbe: { httpGet: { path: string; scheme: string } };
  livenessProbe: { httpGet: { path: string; scheme: string } };
};
type Volume = {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string };
  emptyDir?: object;
};

/** The data of a Secret of the build, or of one the user is told to create (`created`). */
export function secretData(
  objects: readonly K8sObject[],
  name: string,
  created: Record<string, SecretData>,
): SecretData {
  if (created[name]) return created[name];
  const secret = find(objects, 'Secret', name) as K8sObject & { stringData?: SecretData };
  return { ...secret.stringData };
}

/**
 * The exporter's container as the kubelet would start it, on this machine:
 * every volume is written under `root` (ConfigMap and Secret keys as files,
 * emptyDirs as folders), and paths under the mounts, in the environment and
 * in ConfigMap files, point there. What the process then reads is what the
 * manifests give it.
 */
export function materializeExporterPod(
  objects: readonly K8sObject[],
  created: Record<string, SecretData>,
  root: string,
) {
  const deployment = find(objects, 'Deployment', 'chom-exporter') as K8sObject & {
    spec: { template: { spec: { containers: Container[]; volumes: Volume[] } } };
  };
  const { containers, volumes } = deployment.spec.template.spec;
  const container = containers[0] as Container;
  const local = (mountPath: string) => join(root, mountPath);
  const mountPaths = container.volumeMounts.map((m) => m.mountPath);
  // A path under a mount, in the environment or in a config file, is the local copy of it.
  const underMount = new RegExp(
    `(?<![\\w./-])(${[...mountPaths]
      .sort((a, b) => b.length - a.length)
      .map((path) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|')})/`,
    'g',
  );
  const localPaths = (text: string) =>
    text.replace(underMount, (_, path: string) => `${local(path)}/`);
  for (const mount of container.volumeMounts) {
    const volume = volumes.find((v) => v.name === mount.name);
    if (!volume) throw new Error(`volume ${mount.name} is mounted but not defined`);
    const target = local(mount.mountPath);
    mkdirSync(target, { recursive: true });
    const files: SecretData = volume.configMap
      ? (find(objects, 'ConfigMap', volume.configMap.name).data as SecretData)
      : volume.secret
        ? secretData(objects, volume.secret.secretName, created)
        : {};
    for (const [key, content] of Object.entries(files))
      writeFileSync(join(target, key), volume.configMap ? localPaths(content) : content);
  }
  const env = Object.fromEntries(
    (container.env ?? []).map(({ name, value = '' }) => [name, localPaths(value)]),
  );
  return { container, env, args: container.args ?? [] };
}

/** An HTTP(S) GET with optional CA, server name and basic auth; resolves status and body. */
export function get(
  url: string,
  options: { ca?: string; servername?: string; auth?: string; insecure?: boolean } = {},
): Promise<{ status: number; body: string }> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: options.ca,
        servername: options.servername,
        auth: options.auth,
        rejectUnauthorized: !options.insecure,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
