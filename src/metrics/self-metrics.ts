import { Counter, Gauge, type Registry } from 'prom-client';
import type { MetricSpec } from './spec.js';

/** The exporter's own health signals, one set per collector. */
export const selfMetricSpecs: readonly MetricSpec[] = [
  {
    name: 'chom_collector_success',
    help: 'Whether the last run of the collector succeeded (1) or failed (0).',
    type: 'gauge',
    labelNames: ['collector'],
    unit: 'info',
  },
  {
    name: 'chom_collector_last_success_timestamp_seconds',
    help: 'Unix time of the last successful run; the age of the values served from cache.',
    type: 'gauge',
    labelNames: ['collector'],
    unit: 'timestamp_seconds',
  },
  {
    name: 'chom_collector_duration_seconds',
    help: 'Duration of the last run of the collector, successful or not.',
    type: 'gauge',
    labelNames: ['collector'],
    unit: 'seconds',
  },
  {
    name: 'chom_collector_runs_total',
    help: 'Runs of the collector, successful or not.',
    type: 'counter',
    labelNames: ['collector'],
    unit: 'count',
  },
  {
    name: 'chom_collector_errors_total',
    help: 'Failed runs of the collector (errors and timeouts).',
    type: 'counter',
    labelNames: ['collector'],
    unit: 'count',
  },
  {
    name: 'chom_collector_rows_rejected_total',
    help: 'Rows or samples a collector refused (NULL, non-numeric, duplicate, out of range), by reason.',
    type: 'counter',
    labelNames: ['collector', 'reason'],
    unit: 'count',
  },
  {
    name: 'chom_collector_series',
    help: 'Series the collector currently serves (its last good run).',
    type: 'gauge',
    labelNames: ['collector'],
    unit: 'count',
  },
  {
    name: 'chom_collector_interval_seconds',
    help: 'Longest gap between scheduled runs of the collector; data older than two intervals is stale.',
    type: 'gauge',
    labelNames: ['collector'],
    unit: 'seconds',
  },
  {
    name: 'chom_collector_timeout_seconds',
    help: 'Timeout the runner applies to each run of the collector (collectors.<name>.timeoutSeconds, or the collector default); a run longer than this fails.',
    type: 'gauge',
    labelNames: ['collector'],
    unit: 'seconds',
  },
  {
    name: 'chom_config_last_reload_successful',
    help: 'Whether the last configuration reload succeeded (1) or was refused (0); 1 at startup.',
    type: 'gauge',
    labelNames: [],
    unit: 'info',
  },
  {
    name: 'chom_config_last_reload_success_timestamp_seconds',
    help: 'Unix time the running configuration was loaded (startup or the last successful reload).',
    type: 'gauge',
    labelNames: [],
    unit: 'timestamp_seconds',
  },
  {
    name: 'chom_stripe_requests_total',
    help: 'Requests sent to the Stripe API, retries included, by what they were for (list, retrieve, events).',
    type: 'counter',
    labelNames: ['kind'],
    unit: 'count',
  },
  {
    name: 'chom_stripe_syncs_total',
    help: 'Stripe syncs by mode: full (every object listed) or incremental (events since the last round).',
    type: 'counter',
    labelNames: ['mode'],
    unit: 'count',
  },
  {
    name: 'chom_stripe_webhook_events_total',
    help: 'Stripe webhook deliveries by outcome: accepted, ignored (a type billing does not read, or billing does not read Stripe), bad_signature, stale (timestamp outside the tolerance), malformed, too_large (over 256 kB).',
    type: 'counter',
    labelNames: ['outcome'],
    unit: 'count',
  },
  {
    name: 'chom_build_info',
    help: 'Build information; the value is always 1.',
    type: 'gauge',
    labelNames: ['version', 'nodejs'],
    unit: 'info',
  },
];

export interface SelfMetrics {
  readonly success: Gauge<'collector'>;
  readonly lastSuccess: Gauge<'collector'>;
  readonly duration: Gauge<'collector'>;
  readonly runs: Counter<'collector'>;
  readonly errors: Counter<'collector'>;
  readonly rowsRejected: Counter<'collector' | 'reason'>;
  readonly series: Gauge<'collector'>;
  readonly interval: Gauge<'collector'>;
  readonly timeout: Gauge<'collector'>;
  readonly reloadSuccessful: Gauge;
  readonly reloadTimestamp: Gauge;
}

function spec(name: string): MetricSpec {
  const found = selfMetricSpecs.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`unknown self-metric ${name}`);
  return found;
}

function gauge<L extends string>(registry: Registry, name: string): Gauge<L> {
  const { help, labelNames } = spec(name);
  return new Gauge<L>({ name, help, labelNames: labelNames as L[], registers: [registry] });
}

/**
 * A counter of this catalogue registered on `registry`. The engine creates its
 * own below; a part that keeps its own operational counters (billing) creates
 * them here by name, so every self-metric is documented in one list.
 */
export function counter<L extends string>(registry: Registry, name: string): Counter<L> {
  const { help, labelNames } = spec(name);
  return new Counter<L>({ name, help, labelNames: labelNames as L[], registers: [registry] });
}

/** Registers the self-metrics on `registry` and sets the build info. */
export function createSelfMetrics(registry: Registry, version: string): SelfMetrics {
  const buildInfo = gauge<'version' | 'nodejs'>(registry, 'chom_build_info');
  buildInfo.set({ version, nodejs: process.versions.node }, 1);
  const metrics = {
    success: gauge(registry, 'chom_collector_success'),
    lastSuccess: gauge(registry, 'chom_collector_last_success_timestamp_seconds'),
    duration: gauge(registry, 'chom_collector_duration_seconds'),
    runs: counter(registry, 'chom_collector_runs_total'),
    errors: counter(registry, 'chom_collector_errors_total'),
    rowsRejected: counter(registry, 'chom_collector_rows_rejected_total'),
    series: gauge(registry, 'chom_collector_series'),
    interval: gauge(registry, 'chom_collector_interval_seconds'),
    timeout: gauge(registry, 'chom_collector_timeout_seconds'),
    reloadSuccessful: gauge(registry, 'chom_config_last_reload_successful'),
    reloadTimestamp: gauge(registry, 'chom_config_last_reload_success_timestamp_seconds'),
  };
  metrics.reloadSuccessful.set(1);
  metrics.reloadTimestamp.set(Date.now() / 1000);
  return metrics;
}
