import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

/** A Kubernetes object as read from YAML. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
};

type Operation = { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown };

/**
 * Builds a kustomization as `kubectl kustomize` does, for the subset of
 * kustomize deploy/kubernetes uses (resources, components, namespace, images,
 * labels without selectors, JSON 6902 patches by kind and name). Anything else
 * is refused, so a new feature cannot pass unchecked. kubectl is not always
 * installed; where it is, a test checks this against it.
 */
export function buildKustomization(directory: string): K8sObject[] {
  const file = join(directory, 'kustomization.yaml');
  const kustomization = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const {
    apiVersion: _apiVersion,
    kind: _kind,
    resources = [],
    components = [],
    namespace,
    images = [],
    labels = [],
    patches = [],
    ...unsupported
  } = kustomization;
  if (Object.keys(unsupported).length > 0)
    throw new Error(`${file}: not supported here: ${Object.keys(unsupported).join(', ')}`);
  let objects = (resources as string[]).flatMap((resource) => load(resolve(directory, resource)));
  for (const component of components as string[])
    objects = applyComponent(resolve(directory, component), objects);
  objects = applyPatches(objects, patches as Patch[], directory);
  for (const object of objects) {
    if (namespace) object.metadata.namespace = namespace as string;
    for (const { pairs, includeSelectors } of labels as {
      pairs: Record<string, string>;
      includeSelectors?: boolean;
    }[]) {
      if (includeSelectors !== false)
        throw new Error(`${file}: labels need includeSelectors: false`);
      object.metadata.labels = { ...object.metadata.labels, ...pairs };
    }
    for (const image of images as { name: string; newName?: string; newTag?: string }[])
      setImage(object, image);
  }
  return objects;
}

type Patch = { target: { kind: string; name: string }; patch: string };

function load(path: string): K8sObject[] {
  if (statSync(path).isDirectory()) return buildKustomization(path);
  return parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => doc.toJS() as K8sObject);
}

function applyComponent(directory: string, objects: K8sObject[]): K8sObject[] {
  const file = join(directory, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`no component at ${directory}`);
  const {
    kind,
    resources = [],
    patches = [],
    apiVersion: _v,
    ...unsupported
  } = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (kind !== 'Component' || Object.keys(unsupported).length > 0)
    throw new Error(`${file}: not a component of the supported subset`);
  const added = (resources as string[]).flatMap((r) => load(resolve(directory, r)));
  return applyPatches([...objects, ...added], patches as Patch[], directory);
}

function applyPatches(objects: K8sObject[], patches: Patch[], directory: string): K8sObject[] {
  for (const { target, patch, ...rest } of patches) {
    if (Object.keys(rest).length > 0 || !patch)
      throw new Error(`${dirname(directory)}: only inline JSON 6902 patches are supported`);
    const matches = objects.filter(
      (o) => o.kind === target.kind && o.metadata.name === target.name,
    );
    if (matches.length !== 1)
      throw new Error(`patch target ${target.kind}/${target.name} not found`);
    for (const operation of parseYaml(patch) as Operation[])
      applyOperation(matches[0] as K8sObject, operation);
  }
  return objects;
}

/** RFC 6902 add, replace and remove; a path that does not exist throws, as in kustomize. */
function applyOperation(object: K8sObject, { op, path, value }: Operation): void {
  const keys = path
    .split('/')
    .slice(1)
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop() as string;
  let parent: unknown = object;
  for (const key of keys) {
    parent = (parent as Record<string, unknown>)?.[key];
    if (parent === undefined) throw new Error(`${op} ${path}: ${key} does not exist`);
  }
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (op === 'add') parent.splice(index, 0, structuredClone(value));
    else if (index >= parent.length) throw new Error(`${op} ${path}: no element ${last}`);
    else if (op === 'replace') parent[index] = structuredClone(value);
    else parent.splice(index, 1);
    return;
  }
  const record = parent as Record<string, unknown>;
  if (op !== 'add' && !(last in record)) throw new Error(`${op} ${path}: ${last} does not exist`);
  if (op === 'remove') delete record[last];
  else record[last] = structuredClone(value);
}

function setImage(object: K8sObject, image: { name: string; newName?: string; newTag?: string }) {
  const spec = (object.spec as { template?: { spec?: { containers?: { image: string }[] } } })
    ?.template?.spec;
  for (const container of spec?.containers ?? []) {
    const [name, tag] = container.image.split(':');
    if (name !== image.name) continue;
    container.image = `${image.newName ?? name}:${image.newTag ?? tag}`;
  }
}
