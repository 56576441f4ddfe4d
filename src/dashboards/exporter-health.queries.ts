import { exporterJob, oneReplica } from '../kpi/ids.js';

const J = `job="${exporterJob}"`;
const I = 'instance=~"$instance"';
const IC = `${I}, collector=~"$collector"`;
/** Per hour, from a counter: one series per replica and label set (each process counts its own). */
const perHour = (by: string, counter: string) =>
  `sum by (${by}, instance) (rate(${counter}[$__rate_interval])) * 3600`;

/**
 * The PromQL of the Exporter health board; the layout is exporter-health.ts.
 * Unlike the business boards, most queries keep `instance`: they are about each
 * replica's own process (its runs, its Stripe requests, its configuration).
 * Rejected rows are the same source rows on every replica, so that query
 * collapses replicas, as ChomRowsRejected does.
 */
export const exporterHealthQueries = {
  instanceValues: 'label_values(chom_build_info, instance)',
  collectorValues: 'label_values(chom_collector_success, collector)',
  up: `up{${J}, ${I}}`,
  scrapeDuration: `scrape_duration_seconds{${J}, ${I}}`,
  scrapeSamples: `scrape_samples_scraped{${J}, ${I}}`,
  scrapeSeriesAdded: `scrape_series_added{${J}, ${I}}`,
  buildInfo: `chom_build_info{${I}}`,
  collectorSuccess: `chom_collector_success{${IC}}`,
  lastSuccessAge: `time() - chom_collector_last_success_timestamp_seconds{${IC}}`,
  lastSuccessAgeInIntervals: `(time() - chom_collector_last_success_timestamp_seconds{${IC}}) / (chom_collector_interval_seconds{${IC}} > 0)`,
  duration: `chom_collector_duration_seconds{${IC}}`,
  durationOfTimeout: `chom_collector_duration_seconds{${IC}} / (chom_collector_timeout_seconds{${IC}} > 0)`,
  series: `chom_collector_series{${IC}}`,
  errorsPerHour: perHour('collector', `chom_collector_errors_total{${IC}}`),
  rejectedRowsPerHour: `sum by (collector, reason) (${oneReplica(`rate(chom_collector_rows_rejected_total{collector=~"$collector"}[$__rate_interval])`)}) * 3600`,
  stripeRequestsPerHour: perHour('kind', `chom_stripe_requests_total{${I}}`),
  stripeSyncsPerHour: perHour('mode', `chom_stripe_syncs_total{${I}}`),
  webhookEventsPerHour: perHour('outcome', `chom_stripe_webhook_events_total{${I}}`),
  reloadSuccessful: `chom_config_last_reload_successful{${I}}`,
  configAge: `time() - chom_config_last_reload_success_timestamp_seconds{${I}}`,
};
