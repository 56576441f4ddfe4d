import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import { Route } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Route';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import type { K8sObject } from './kustomize.js';

/**
 * The JSON schemas of Kubernetes (kubernetes-models) and of the Prometheus
 * Operator's CRDs (@kubernetes-models/prometheus-operator), compiled into
 * validators by those packages: no network at test time.
 */
const models: Record<string, { new (data: never): { validate(): void } }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'monitoring.coreos.com/v1alpha1/AlertmanagerConfig': AlertmanagerConfig,
};

export function validate(object: K8sObject): void {
  const Model = models[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object as never).validate();
  // The CRD leaves child routes free-form (JSON); the operator reads them as routes.
  if (object.kind === 'AlertmanagerConfig') {
    const walk = (route: { routes?: unknown[] }) => {
      for (const child of route.routes ?? []) {
        new Route(child as never).validate();
        walk(child as { routes?: unknown[] });
      }
    };
    walk((object.spec as { route: { routes?: unknown[] } }).route);
  }
}
