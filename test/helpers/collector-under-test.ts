import pino from 'pino';
import { expect } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { closeSources } from '../../src/app/create-sources.js';
import { buildSources } from '../../src/app/service.js';
import { contextAt, type EvaluationDeps, evaluationDeps } from '../../src/backfill/evaluate.js';
import { type StepGrid, type StepSeries, seriesHookOf } from '../../src/backfill/series-hook.js';
import { collectAsOf } from '../../src/collectors/as-of.js';
import { enabledCollectors } from '../../src/collectors/enabled.js';
import type { Sources } from '../../src/collectors/sources.js';
import type { EnabledCollector } from '../../src/collectors/types.js';
import type { Sample } from '../../src/metrics/spec.js';

/**
 * One collector, enabled with the options each test gives, and what evaluating
 * it needs, against one database. The sources are built once, from the first
 * options (their pools do not depend on a collector's options), and closed by `close`.
 */
export function collectorUnderTest(
  collector: string,
  databaseUrl: () => string,
): {
  setUp(options: Record<string, unknown>): { enabled: EnabledCollector; deps: EvaluationDeps };
  close(): Promise<void>;
} {
  let sources: Sources | undefined;
  return {
    setUp(options) {
      const config = parseConfig({ collectors: { [collector]: options } });
      sources ??= buildSources(config, { url: databaseUrl() }, pino({ level: 'silent' }));
      const enabled = enabledCollectors(config).find((e) => e.collector.name === collector);
      if (!enabled) throw new Error(`${collector} is not enabled`);
      return { enabled, deps: evaluationDeps(config, sources, pino({ level: 'silent' })) };
    },
    async close() {
      if (sources) await closeSources(sources);
    },
  };
}

/**
 * The backfill's grouped pass of the collector over `grid`, read as the backfill
 * reads it (the context of the grid's last instant); fails when it has none or declines.
 */
export async function groupedPass(
  enabled: EnabledCollector,
  deps: EvaluationDeps,
  grid: StepGrid,
): Promise<StepSeries> {
  const hook = seriesHookOf(enabled.collector);
  if (!hook) throw new Error(`${enabled.collector.name} has no grouped pass`);
  const last = grid.firstMs + (grid.count - 1) * grid.stepMs;
  const series = await hook(contextAt(enabled, last, deps).ctx, grid);
  if (!series) throw new Error(`${enabled.collector.name} declined its grouped pass`);
  return series;
}

/** The collector's as-of form at `at`: what the grouped pass must equal at that step. */
export function asOfForm(
  enabled: EnabledCollector,
  at: number,
  deps: EvaluationDeps,
): Promise<readonly Sample[]> {
  const { ctx } = contextAt(enabled, at, deps);
  return collectAsOf(enabled.collector, { ...ctx, state: undefined });
}

/**
 * Asks a grouped pass for every step of `grid` in order and expects each step
 * it selects (`checked`, all by default) to equal the collector's as-of form
 * there, compared as `comparable` shows them; then that the default queries
 * rejected nothing. Returns the pass's samples of the steps compared.
 */
export async function expectAsOfAtEveryStep(
  enabled: EnabledCollector,
  deps: EvaluationDeps,
  grid: StepGrid,
  comparable: (samples: readonly Sample[]) => unknown,
  checked: (index: number) => boolean = () => true,
): Promise<Map<number, Sample[]>> {
  const series = await groupedPass(enabled, deps, grid);
  const steps = new Map<number, Sample[]>();
  for (let i = 0; i < grid.count; i += 1) {
    const got = await series(i);
    if (!checked(i)) continue;
    const at = grid.firstMs + i * grid.stepMs;
    const expected = await asOfForm(enabled, at, deps);
    expect(comparable(got), `step ${i} at ${new Date(at).toISOString()}`).toEqual(
      comparable(expected),
    );
    steps.set(i, [...got]);
  }
  expect(deps.rejected.size, 'the default queries reject nothing').toBe(0);
  return steps;
}
