import pino from 'pino';
import type { Config } from '../../src/config/schema.js';
import type { AnyCollector } from '../../src/collectors/types.js';
import type { Sample } from '../../src/metrics/spec.js';
import type { Sources } from '../../src/sources/sources.js';

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
