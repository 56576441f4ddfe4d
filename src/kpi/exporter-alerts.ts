import type { AlertRule } from './alert-rule.js';
import { oneReplica } from './ids.js';

/**
 * The exporter's own health, for SRE. Scrape and collector alerts are about
 * one replica's process and keep its `instance` (perReplica); what every
 * replica sees alike (rejected source rows, a reconstructed opening) fires once.
 */
export function exporterAlerts(job: string): AlertRule[] {
  return [
    {
      alert: 'ChomExporterDown',
      expr: `up{job="${job}"} == 0`,
      for: '5m',
      severity: 'critical',
      team: 'sre',
      dashboard: 'exporter',
      perReplica: true,
      summary: 'chom-exporter target {{ $labels.instance }} is down',
      description: 'Prometheus cannot scrape {{ $labels.instance }}: business metrics are frozen.',
      runbook: {
        meaning: 'The exporter process is not answering scrapes.',
        check:
          'Container or process status, /healthz, the last log lines; the scrape error on the Prometheus targets page.',
        action: 'Restart it; if it exits at start, run `chom-exporter check-config`.',
      },
    },
    {
      alert: 'ChomExporterAbsent',
      expr: `absent(up{job="${job}"})`,
      for: '10m',
      severity: 'critical',
      team: 'sre',
      dashboard: 'exporter',
      summary: 'No chom-exporter target is known to Prometheus',
      description: `Prometheus has no series up{job="${job}"}: the scrape job is missing or service discovery lost the target.`,
      runbook: {
        meaning:
          'Prometheus does not scrape the exporter at all, so every business alert is blind.',
        check: 'prometheus.yml scrape_configs and service discovery.',
        action: 'Restore the scrape job.',
      },
    },
    {
      alert: 'ChomCollectorFailing',
      expr: 'chom_collector_success == 0',
      for: '15m',
      severity: 'warning',
      team: 'sre',
      dashboard: 'exporter',
      perReplica: true,
      summary: 'Collector {{ $labels.collector }} is failing',
      description:
        'The last runs of {{ $labels.collector }} on {{ $labels.instance }} failed; its metrics are the last good values.',
      runbook: {
        meaning:
          'A source (database, events table, Stripe) errors or times out for this collector.',
        check:
          'Exporter health board (the dashboard link), row "Collectors": its success, errors and duration against its timeout; exporter logs with collector={{collector}}; the landing page /.',
        action:
          'Fix the source or the override query; the collector recovers by itself on its next run.',
      },
    },
    {
      alert: 'ChomCollectorDataStale',
      expr: 'time() - chom_collector_last_success_timestamp_seconds > 2 * chom_collector_interval_seconds',
      for: '5m',
      severity: 'warning',
      team: 'sre',
      dashboard: 'exporter',
      perReplica: true,
      summary: 'Data of collector {{ $labels.collector }} is stale',
      description:
        'No successful run of {{ $labels.collector }} for {{ $value | humanizeDuration }}, more than two intervals.',
      runbook: {
        meaning: 'Values are being served from an old successful run.',
        check:
          'ChomCollectorFailing for the same collector; last success age on the Exporter health board; the exporter logs.',
        action: 'As for ChomCollectorFailing; dashboards show old data until it recovers.',
      },
    },
    {
      alert: 'ChomRowsRejected',
      // The same source rows are rejected by every replica: one alert, not one per replica.
      expr: `${oneReplica('increase(chom_collector_rows_rejected_total[1h])')} > 0`,
      for: '0m',
      severity: 'info',
      team: 'sre',
      dashboard: 'exporter',
      summary: 'Collector {{ $labels.collector }} rejected rows ({{ $labels.reason }})',
      description:
        '{{ $value | printf "%.0f" }} rows rejected in the last hour by {{ $labels.collector }} for reason {{ $labels.reason }}.',
      runbook: {
        meaning:
          'Source rows had NULL or non-numeric values, duplicate label sets or invalid billing data; they were left out.',
        check:
          'Rejected rows by reason on the Exporter health board; the exporter logs ("rejected a row") name the query, column and value.',
        action: 'Fix the data or the override query.',
      },
    },
    {
      alert: 'ChomBillingOpeningReconstructed',
      expr: `${oneReplica('chom_billing_month_opening_reconstructed')} == 1`,
      for: '1h',
      severity: 'info',
      team: 'sre',
      dashboard: 'exporter',
      summary: "This month's opening MRR was reconstructed",
      description:
        'Billing movements this month are computed from a reconstructed opening; plan changes made before the exporter first ran this month are not visible.',
      runbook: {
        meaning:
          'The exporter had no usable record of MRR at the start of the month: first run mid-month, no state database, or collectors.billing_mrr.source or policy changed since the month was recorded.',
        check:
          'stateDatabase.url in the config; a log warning "recorded under another billing source or policy".',
        action:
          "Configure a state database; after a source or policy change, nothing: next month's numbers will be exact.",
      },
    },
    {
      alert: 'ChomConfigReloadFailed',
      expr: 'chom_config_last_reload_successful == 0',
      for: '10m',
      severity: 'warning',
      team: 'sre',
      dashboard: 'exporter',
      perReplica: true,
      summary: 'Configuration reload of {{ $labels.instance }} was refused',
      description:
        'The last reload of {{ $labels.instance }} was refused: it still runs the configuration it loaded before, not the file on disk.',
      runbook: {
        meaning:
          'A reload (SIGHUP or POST /-/reload) found the configuration invalid and kept the running one; the next restart would fail on the same file.',
        check:
          'The exporter log line of the refused reload (it names every bad key), or `chom-exporter check-config` on the file; the Exporter health board, row "Configuration".',
        action: 'Fix the file and reload again.',
      },
    },
    {
      alert: 'ChomWatchdog',
      expr: 'vector(1)',
      for: '0m',
      severity: 'info',
      team: 'sre',
      summary: 'Alerting pipeline heartbeat',
      description: 'Always firing. If this stops arriving, Prometheus or Alertmanager is broken.',
      runbook: {
        meaning: "A dead man's switch: proves the alerting pipeline works end to end.",
        check: 'Nothing, while it arrives.',
        action: 'If it stops arriving, check Prometheus rule evaluation and Alertmanager delivery.',
      },
    },
  ];
}
