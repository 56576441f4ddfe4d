import { stringify } from 'yaml';
import { image } from './names.js';
import { scrapeSecurityPatches } from './scrape-components.js';
import { yamlDocuments } from './yaml-documents.js';

const apiVersion = 'kustomize.config.k8s.io/v1beta1';

/**
 * What kube-prometheus-stack's Prometheus and Alertmanager select by default
 * (release: <its Helm release name>), on every object; no selector changes.
 */
const prometheusSelectorLabel = {
  pairs: { release: 'kube-prometheus-stack' },
  includeSelectors: false,
};

/** The files of the base, in apply order (the kpi-dependent ones included). */
export const baseFiles = [
  'exporter.yaml',
  'service-monitor.yaml',
  'prometheus-rule.yaml',
  'alertmanager-config.yaml',
  'grafana-dashboards.yaml',
] as const;

export function baseKustomization(): string {
  return yamlDocuments(
    [{ apiVersion, kind: 'Kustomization', resources: [...baseFiles] }],
    `The exporter (2 replicas, PodDisruptionBudget, Service), its ServiceMonitor, the
PrometheusRule, the AlertmanagerConfig and the dashboards for Grafana's sidecar. No namespace and
no Secret: the overlays set the one, you create the other (docs/deployment.md, Kubernetes).`,
  );
}

export function networkPolicyComponent(): string {
  return yamlDocuments(
    [
      {
        apiVersion: 'kustomize.config.k8s.io/v1alpha1',
        kind: 'Component',
        resources: ['network-policy.yaml'],
      },
    ],
    'Only Prometheus (namespace monitoring) reaches the exporter; egress to DNS, PostgreSQL and HTTPS.',
  );
}

/** A component of JSON patches for HTTPS, or HTTPS with basic auth. */
export function scrapeComponent(security: 'https' | 'https-basic-auth'): string {
  const patches = scrapeSecurityPatches(security).map(({ target, operations }) => ({
    target,
    patch: stringify(operations, { lineWidth: 0 }),
  }));
  const needs =
    security === 'https'
      ? `Needs the kubernetes.io/tls Secret "chom-exporter-tls" (tls.crt, tls.key, ca.crt; e.g. from
cert-manager) with the DNS name chom-exporter.`
      : `Needs the kubernetes.io/tls Secret "chom-exporter-tls" (tls.crt, tls.key, ca.crt; e.g. from
cert-manager) with the DNS name chom-exporter, the Secret "chom-exporter-scrape-auth" (username,
password) and, in chom.yml, the bcrypt hash of that password in place of the placeholder.`;
  return yamlDocuments(
    [{ apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component', patches }],
    `The scrape over HTTPS${security === 'https' ? '' : ' with basic auth'}: sets chom.yml (server.tls${security === 'https' ? '' : ', server.auth.basic'}), mounts
the certificate, probes over HTTPS, and makes the ServiceMonitor verify the certificate. It replaces
chom.yml whole: if your overlay sets its own chom.yml, keep this server section in it. Use one of
the scrape-* components, not both.
${needs}`,
  );
}

export function demoKustomization(): string {
  return yamlDocuments(
    [
      {
        apiVersion,
        kind: 'Kustomization',
        namespace: 'chom-demo',
        resources: ['../../base', 'demo-postgres.yaml', 'alertmanager-secret.yaml'],
        labels: [prometheusSelectorLabel],
      },
    ],
    `The demo: the exporter on a PostgreSQL with the reference schema and the demo data set.
  kubectl create namespace chom-demo && kubectl apply -k deploy/kubernetes/overlays/demo
The image ${image} must be reachable by the cluster (docker build -t ${image} ., then e.g.
kind load docker-image ${image}). labels: what kube-prometheus-stack selects when its Helm release
is named kube-prometheus-stack; use your release's name.`,
  );
}

/** The production overlay; `receiverKeys` are the keys of the receivers' Secret. */
export function productionKustomization(receiverKeys: readonly string[]): string {
  return yamlDocuments(
    [
      {
        apiVersion,
        kind: 'Kustomization',
        namespace: 'chom-exporter',
        resources: ['../../base'],
        components: ['../../components/network-policy'],
        images: [
          {
            name: image.split(':')[0],
            newName: 'registry.example.com/chom-exporter',
            newTag: image.split(':')[1],
          },
        ],
        labels: [prometheusSelectorLabel],
      },
    ],
    `Production: the exporter on your existing databases. Make your overlay from this one (beside it,
or with resources pointing at this repository's deploy/kubernetes/base at a pinned ref), then:
- images: your registry (build the image with the Dockerfile);
- labels: what your Prometheus and Alertmanager select (kube-prometheus-stack matches
  release: <its Helm release name> by default);
- components: add ../../components/scrape-https or scrape-https-basic-auth to secure the scrape;
- create, in the namespace, the Secret "chom-exporter" with two keys (files):
    database-url        a read-only role on the app database (README, "Your own schema");
    state-database-url  a database the exporter may write to (it creates the schema chom_exporter
                        and records each month's opening MRR there). Both replicas must get the SAME
                        url: the first to write a month's opening wins and the other reads it. A
                        small database of its own, or your app server with a role that owns only
                        the schema chom_exporter; never the read-only role;
  and the Secret "chom-exporter-alertmanager" with the receivers' keys (${receiverKeys.join(', ')}):
  the operator ignores an AlertmanagerConfig whose Secret is missing.`,
  );
}
