import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { buildKustomization, type K8sObject } from './kustomize.js';

export const kubernetesRoot = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));

/** The ways to deploy: base and overlays as shipped, and production with each scrape component. */
export const builds: Record<string, { resources: string[]; components: string[] }> = {
  base: { resources: ['base'], components: [] },
  demo: { resources: ['overlays/demo'], components: [] },
  production: { resources: ['overlays/production'], components: [] },
  'production + scrape-https': {
    resources: ['overlays/production'],
    components: ['components/scrape-https'],
  },
  'production + scrape-https-basic-auth': {
    resources: ['overlays/production'],
    components: ['components/scrape-https-basic-auth'],
  },
};

/**
 * Runs `fn` on a kustomization in a temporary folder that includes the
 * build's parts by relative path (kustomize refuses absolute ones).
 */
function withOverlay<T>(name: string, fn: (directory: string) => T): T {
  const build = builds[name];
  if (!build) throw new Error(`no build ${name}`);
  const directory = mkdtempSync(join(tmpdir(), 'chom-kustomize-'));
  try {
    const path = (part: string) => relative(directory, join(kubernetesRoot, part));
    writeFileSync(
      join(directory, 'kustomization.yaml'),
      JSON.stringify({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: build.resources.map(path),
        components: build.components.map(path),
      }),
    );
    return fn(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The objects a build yields, by this repository's kustomize subset. */
export function render(name: string): K8sObject[] {
  return withOverlay(name, buildKustomization);
}

/** `kubectl kustomize` of a build, or undefined where kubectl is not installed. */
export function renderWithKubectl(name: string): K8sObject[] | undefined {
  return withOverlay(name, (directory) => {
    const result = spawnSync('kubectl', ['kustomize', directory], { encoding: 'utf8' });
    if (result.error) return undefined;
    if (result.status !== 0) throw new Error(`kubectl kustomize ${name}: ${result.stderr}`);
    return parseAllDocuments(result.stdout).map((doc) => doc.toJS() as K8sObject);
  });
}

export const kubectlAvailable = !spawnSync('kubectl', ['version', '--client']).error;

export function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found;
}
