import pino from 'pino';
import { Registry } from 'prom-client';
import { enabledCollectors } from '../../src/collectors/collector-set.js';
import { CollectorRunner } from '../../src/collectors/runner.js';
import type { Config } from '../../src/config/schema.js';
import { createSelfMetrics } from '../../src/metrics/self-metrics.js';
import type { Sources } from '../../src/sources/sources.js';
import { type ParsedSample, parseExposition } from './exposition.js';

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
