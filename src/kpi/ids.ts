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
} as const;

export type DashboardKey = keyof typeof dashboardUids;

export const dashboardTitles: Record<DashboardKey, string> = {
  business: 'CHOM / Business KPIs',
  customerSuccess: 'CHOM / Customer Success',
  growth: 'CHOM / Growth & Marketing',
};

/** The uid of the provisioned Prometheus datasource (grafana/provisioning/datasources). */
export const datasourceUid = 'chom-prometheus';
export const datasourceName = 'CHOM Prometheus';

/** The scrape job of the exporter (prometheus.yml; the Service name under the Prometheus Operator). */
export const exporterJob = 'chom-exporter';
