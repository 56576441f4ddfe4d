import { describe, expect, it } from 'vitest';
import { builds, kubectlAvailable, render, renderWithKubectl } from './builds.js';
import type { K8sObject } from './kustomize.js';

const byIdentity = (objects: K8sObject[]) =>
  Object.fromEntries(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o]));

describe('kustomize builds', () => {
  it.each(Object.keys(builds))('%s builds', (name) => {
    const objects = render(name);
    expect(objects.length).toBeGreaterThan(5);
    // Names are unique per kind, or kubectl apply would overwrite one with the other.
    expect(new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`)).size).toBe(objects.length);
  });

  // kubectl is not part of the project's installs: where the machine has it, it is the judge of
  // the subset of kustomize that the other tests rely on.
  it.skipIf(!kubectlAvailable).each(Object.keys(builds))(
    '%s: the test renderer agrees with kubectl kustomize',
    (name) => {
      expect(byIdentity(render(name))).toEqual(byIdentity(renderWithKubectl(name) ?? []));
    },
  );
});
