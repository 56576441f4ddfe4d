import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { alertRuleGroups, recordingRuleGroups } from '../../generate/prometheus-rules.js';
import type { KpiConfig } from '../../kpi/kpi-config.js';
import { appName, commonLabels, metricsPort, selectorLabels } from './names.js';

/**
 * The scrape, as prometheus/prometheus.yml's job does it: every 30 s (the
 * exporter answers from memory), 10 s timeout. The job label is the Service's
 * name, `chom-exporter`, which the exporter's own alerts select.
 */
export function serviceMonitor(): IServiceMonitor {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: appName, labels: { ...commonLabels } },
    spec: {
      selector: { matchLabels: { ...selectorLabels } },
      endpoints: [
        { port: metricsPort.name, path: '/metrics', interval: '30s', scrapeTimeout: '10s' },
      ],
    },
  };
}

/** The recording and alert rules, the very groups of prometheus/rules/*.rules.yml. */
export function prometheusRule(kpi: KpiConfig): IPrometheusRule {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: appName, labels: { ...commonLabels } },
    spec: { groups: [...recordingRuleGroups(kpi), ...alertRuleGroups(kpi)] },
  };
}
