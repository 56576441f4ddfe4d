import * as common from '@grafana/grafana-foundation-sdk/common';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardUids } from '../kpi/ids.js';
import {
  buildBoard,
  filterVariable,
  statPanel,
  statusMappings,
  timeSeriesPanel,
  titleOf,
  units,
} from './common.js';
import { collectorsRow, okFromOne, perReplica } from './exporter-health.collectors.js';
import { exporterHealthQueries as q } from './exporter-health.queries.js';

/**
 * The Exporter health board, for the SREs who run the exporter: scrapes,
 * collectors (success, age, duration against timeout, series, errors,
 * rejected rows), Stripe traffic and webhooks, configuration reloads. The
 * exporter's alerts link here. Its panels are per replica, on purpose.
 */
export function exporterHealthDashboard(): Dashboard {
  return buildBoard({
    uid: dashboardUids.exporter,
    title: titleOf('exporter'),
    description:
      "The exporter's own health, for SREs: is every replica scraped, does every collector succeed in time, what do the sources cost (Stripe requests, webhooks), is the configuration the one on disk. Exporter alerts (ChomExporterDown, ChomCollectorFailing, ChomCollectorDataStale, ChomRowsRejected, ChomConfigReloadFailed) link here. Unlike the business boards, panels show each replica.",
    tags: ['chom', 'exporter', 'sre'],
    timeFrom: 'now-6h',
    variables: [
      filterVariable({
        name: 'instance',
        label: 'Replica',
        description: 'Exporter replicas (scrape targets) shown.',
        query: q.instanceValues,
      }),
      filterVariable({
        name: 'collector',
        label: 'Collector',
        description: 'Collectors shown in the collector panels.',
        query: q.collectorValues,
      }),
    ],
    rows: [
      {
        title: 'Scrapes',
        cells: [
          statPanel({
            title: 'Targets up',
            description: `Whether Prometheus scrapes each replica (up). DOWN pages on-call after 5 minutes (ChomExporterDown). ${perReplica}`,
            unit: units.count,
            queries: [{ expr: q.up, legend: '{{instance}}' }],
            thresholds: okFromOne,
            mappings: statusMappings('UP', 'DOWN'),
            width: 6,
            height: 5,
          }),
          timeSeriesPanel({
            title: 'Scrape duration',
            description: `Time each scrape of /metrics took (scrape_duration_seconds, from Prometheus). The exporter answers from memory, so this stays flat however slow the sources are; a rise means a bigger exposition or a busy process. ${perReplica}`,
            unit: units.seconds,
            queries: [{ expr: q.scrapeDuration, legend: '{{instance}}' }],
            width: 6,
            height: 5,
          }),
          timeSeriesPanel({
            title: 'Samples per scrape',
            description: `The size of each scrape in samples (scrape_samples_scraped) and the series new to Prometheus (scrape_series_added): a climb is cardinality growing (more organizations, campaigns, custom labels). Prometheus 2.42 reports the size in bytes (scrape_body_size_bytes) only with --enable-feature=extra-scrape-metrics, so it is not used. ${perReplica}`,
            unit: units.count,
            queries: [
              { expr: q.scrapeSamples, legend: 'samples {{instance}}' },
              { expr: q.scrapeSeriesAdded, legend: 'new series {{instance}}' },
            ],
            width: 6,
            height: 5,
          }),
          statPanel({
            title: 'Version',
            description: `The exporter version and Node.js version of each replica (chom_build_info): replicas on different versions mid-rollout show here. ${perReplica}`,
            unit: units.count,
            queries: [
              { expr: q.buildInfo, legend: '{{version}} (Node.js {{nodejs}}) {{instance}}' },
            ],
            textMode: common.BigValueTextMode.Name,
            width: 6,
            height: 5,
          }),
        ],
      },
      collectorsRow(),
      {
        title: 'Stripe',
        cells: [
          timeSeriesPanel({
            title: 'Stripe requests per hour by kind',
            description: `Requests to the Stripe API per hour, retries included, by what they were for (list, retrieve, events): the cost of the billing source against Stripe's rate limit. An unchanged account costs one events request per run between full syncs. ${perReplica}`,
            unit: units.count,
            queries: [{ expr: q.stripeRequestsPerHour, legend: '{{kind}} {{instance}}' }],
            stacked: true,
            width: 8,
            height: 7,
          }),
          timeSeriesPanel({
            title: 'Stripe syncs per hour by mode',
            description: `Billing syncs with Stripe per hour: full (every object listed, hourly) or incremental (the events since the last run). ${perReplica}`,
            unit: units.count,
            queries: [{ expr: q.stripeSyncsPerHour, legend: '{{mode}} {{instance}}' }],
            width: 8,
            height: 7,
          }),
          timeSeriesPanel({
            title: 'Stripe webhooks per hour by outcome',
            description: `Webhook deliveries per hour by outcome: accepted, ignored, bad_signature (a wrong stripe.webhookSecret, or someone else), stale, malformed, too_large. ${perReplica}`,
            unit: units.count,
            queries: [{ expr: q.webhookEventsPerHour, legend: '{{outcome}} {{instance}}' }],
            width: 8,
            height: 7,
          }),
        ],
      },
      {
        title: 'Configuration',
        cells: [
          statPanel({
            title: 'Last configuration reload',
            description: `Whether the last reload (SIGHUP or POST /-/reload) was applied: REFUSED means the file on disk is invalid and the replica still runs its previous configuration (ChomConfigReloadFailed after 10 minutes). ${perReplica}`,
            unit: units.count,
            queries: [{ expr: q.reloadSuccessful, legend: '{{instance}}' }],
            thresholds: okFromOne,
            mappings: statusMappings('APPLIED', 'REFUSED'),
            width: 12,
            height: 5,
          }),
          statPanel({
            title: 'Configuration age',
            description: `Time since each replica loaded the configuration it runs (startup or the last applied reload): replicas that disagree have not all reloaded. ${perReplica}`,
            unit: units.seconds,
            queries: [{ expr: q.configAge, legend: '{{instance}}' }],
            width: 12,
            height: 5,
          }),
        ],
      },
    ],
  });
}
