import pino from 'pino';
import { Registry } from 'prom-client';
import type { Config } from '../../src/app/config.js';
import { enabledCollectors } from '../../src/collectors/enabled.js';
import type { Sources } from '../../src/collectors/sources.js';
import type { AnyCollector } from '../../src/collectors/types.js';
import { CollectorRunner } from '../../src/engine/runner.js';
import { createSelfMetrics } from '../../src/metrics/self-metrics.js';
import type { Sample } from '../../src/metrics/spec.js';
import { type ParsedSample, parseExposition } from './exposition.js';

/**
 * Runs one collector once as of `at`, with its clock set to `at` too (what a live run started at
 * that instant sees), and returns its samples; `reject`ed rows are collected in `rejected`.
 */
export async function collectAt(
  collector: AnyCollector,
  config: Config,
  sources: Sources,
  at: Date,
): Promise<{ samples: readonly Sample[]; rejected: string[] }> {
  const settings = (config.collectors as Record<string, Record<string, unknown>>)[collector.name];
  const { enabled: _e, schedule: _s, timeoutSeconds: _t, ...raw } = settings ?? {};
  const options = collector.optionsSchema.parse(raw);
  const rejected: string[] = [];
  const samples = await collector.collect({
    options,
    state: collector.createState?.(),
    log: pino({ level: 'silent' }),
    signal: AbortSignal.timeout(60_000),
    sources,
    labelSets: config.labels,
    kpi: config.kpi,
    reject: (reason) => rejected.push(reason),
    now: () => at.getTime(),
    at,
  });
  return { samples, rejected };
}

/** `metric` samples as `{ '{"a":"x"}': value }`, label keys sorted, for equality assertions. */
export function seriesOfSamples(
  samples: readonly Sample[],
  metric: string,
): Record<string, number> {
  return Object.fromEntries(
    samples
      .filter((s) => s.metric === metric)
      .map((s) => [
        JSON.stringify(
          Object.fromEntries(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1))),
        ),
        s.value,
      ]),
  );
}

/**
 * One live run of the named collector as the exporter builds it from `config`,
 * its runner clock fixed at `at` (so it computes as of `at`), and the series it
 * publishes. Throws when the run fails.
 */
export async function runCollectorAt(
  config: Config,
  sources: Sources,
  name: string,
  at: Date,
): Promise<ParsedSample[]> {
  const entry = enabledCollectors(config).find(({ collector }) => collector.name === name);
  if (!entry) throw new Error(`collector ${name} is not enabled`);
  const registry = new Registry();
  const runner = new CollectorRunner(entry.collector, entry.settings, entry.options, {
    registry,
    selfMetrics: createSelfMetrics(registry, 'test'),
    sources,
    labelSets: config.labels,
    kpi: config.kpi,
    log: pino({ level: 'silent' }),
    shutdown: new AbortController().signal,
    now: () => at.getTime(),
  });
  if (!(await runner.run()))
    throw new Error(`${name} failed at ${at.toISOString()}: ${runner.currentStatus.lastError}`);
  return parseExposition(runner.exposition);
}
