import type { AnyCollector, CollectorContext } from '../collectors/types.js';
import type { Sample } from '../metrics/spec.js';
import { eventCounterSeries } from './event-counter-series.js';

/** Evenly spaced instants: `firstMs`, `firstMs + stepMs`, ... (`count` of them). */
export interface StepGrid {
  readonly firstMs: number;
  readonly stepMs: number;
  readonly count: number;
}

/** A collector's samples at step `index` of the grid, asked for in increasing order. */
export type StepSeries = (index: number) => readonly Sample[];

/**
 * The optional hook a collector offers when evaluating it once per step would
 * repeat the same scan (lifetime counters: every step would count the whole
 * events table again): one grouped pass over the whole grid, then the values
 * step by step. `ctx.at` is the grid's last instant.
 */
export type CollectSeries<Options = unknown, State = unknown> = (
  ctx: CollectorContext<Options, State>,
  grid: StepGrid,
) => Promise<StepSeries>;

/**
 * Hooks the backfill provides for built-in collectors without touching their
 * files; a collector may also carry its own as `collectSeries`, which wins.
 */
const builtInHooks: Readonly<Record<string, CollectSeries>> = {
  // Lifetime counters and `_in_window` gauges from cumulative counts per step: one scan of the
  // events for the range instead of two per step (test/integration/event-counter-series.test.ts).
  analytics_event_counters: eventCounterSeries as CollectSeries,
};

export function seriesHookOf(collector: AnyCollector): CollectSeries | undefined {
  const own = (collector as AnyCollector & { collectSeries?: CollectSeries }).collectSeries;
  return own ?? builtInHooks[collector.name];
}
