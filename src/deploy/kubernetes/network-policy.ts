import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { appName, commonLabels, metricsPort, selectorLabels } from './names.js';

/**
 * Only Prometheus may reach the exporter; the exporter may reach DNS,
 * PostgreSQL (app, events and state databases, wherever they run) and HTTPS
 * (Stripe). Kubelet probes are not subject to NetworkPolicy. The Prometheus
 * selector fits kube-prometheus-stack in namespace `monitoring`; adjust it to yours.
 */
export function exporterNetworkPolicy(): INetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: appName, labels: { ...commonLabels } },
    spec: {
      podSelector: { matchLabels: { ...selectorLabels } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
            },
          ],
          ports: [{ port: metricsPort.name, protocol: 'TCP' }],
        },
      ],
      egress: [
        {
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
        { ports: [{ port: 5432, protocol: 'TCP' }] },
        { ports: [{ port: 443, protocol: 'TCP' }] },
      ],
    },
  };
}
