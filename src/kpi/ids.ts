/**
 * The names that the boards, the recording rules and the alert rules share,
 * in one module (as kubernetes-mixin keeps them in its config.libsonnet):
 * dashboard uids and titles, the provisioned datasource, the scrape job.
 * Boards and rules import it; it imports nothing, so links cannot run in a
 * circle (alert rules link to boards by these uids, never by importing a board).
 */

/** Dashboard uids: stable, since alert annotations and bookmarks link to them. */
export const dashboardUids = {
  business: 'chom-business-kpi',
  customerSuccess: 'chom-customer-success',
  growth: 'chom-growth-marketing',
  exporter: 'chom-exporter-health',
} as const;

export type DashboardKey = keyof typeof dashboardUids;

export const dashboardTitles: Record<DashboardKey, string> = {
  business: 'CHOM / Business KPIs',
  customerSuccess: 'CHOM / Customer Success',
  growth: 'CHOM / Growth & Marketing',
  exporter: 'CHOM / Exporter health',
};

/** The uid of the provisioned Prometheus datasource (grafana/provisioning/datasources). */
export const datasourceUid = 'chom-prometheus';
export const datasourceName = 'CHOM Prometheus';

/** The scrape job of the exporter (prometheus.yml; the Service name under the Prometheus Operator). */
export const exporterJob = 'chom-exporter';

/**
 * Labels that tell replicas of the exporter apart: the scrape target, and the
 * pod under the Prometheus Operator. Its ServiceMonitor also adds job,
 * namespace, service, endpoint and container, which every replica shares.
 */
export const replicaLabels = ['instance', 'pod'] as const;

/**
 * A raw chom_* selector as one replica reports it. Replicas read the same
 * sources and report equal values, so their maximum is any one of them; a
 * `sum` over replicas would count every fact once per replica.
 */
export const oneReplica = (selector: string) =>
  `max without (${replicaLabels.join(', ')}) (${selector})`;

/** An additive fact (money, counts) summed over the labels `by` drops, replicas collapsed first. */
export const sumBy = (by: string, selector: string) => `sum by (${by}) (${oneReplica(selector)})`;

/** An additive fact summed to one series, replicas collapsed first. */
export const total = (selector: string) => `sum(${oneReplica(selector)})`;

/**
 * A fact that is not added up (a ratio, a score, an average) reduced to the
 * `by` labels: the `max` collapses replicas, and any job or Operator label.
 */
export const valueBy = (by: string, selector: string) =>
  by ? `max by (${by}) (${selector})` : `max(${selector})`;
