import { describe, expect, it } from 'vitest';
import { builds, render } from './builds.js';
import type { K8sObject } from './kustomize.js';
import { validate } from './schemas.js';

describe('Kubernetes and Prometheus Operator schemas', () => {
  it.each(Object.keys(builds))('every object of %s is valid', (name) => {
    const objects = render(name);
    for (const object of objects) {
      expect(() => validate(object), `${object.kind}/${object.metadata.name}`).not.toThrow();
    }
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'ServiceMonitor'])
      expect(kinds, kind).toContain(kind);
    for (const kind of ['PrometheusRule', 'AlertmanagerConfig', 'ConfigMap'])
      expect(kinds, kind).toContain(kind);
  });

  it('catches a broken object (the validators are not lenient)', () => {
    const [deployment] = render('base').filter((o) => o.kind === 'Deployment');
    const broken = structuredClone(deployment) as K8sObject & { spec: { replicas: unknown } };
    broken.spec.replicas = 'two';
    expect(() => validate(broken)).toThrow(/replicas must be integer/);
    const route = structuredClone(render('base').find((o) => o.kind === 'AlertmanagerConfig'));
    const spec = route?.spec as { route: { routes: { matchers: { matchType: string }[] }[] } };
    (spec.route.routes[0]?.matchers[0] as { matchType: string }).matchType = '~';
    expect(() => validate(route as K8sObject)).toThrow(/matchType/);
  });
});
