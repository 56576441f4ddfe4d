import type { CollectorContext } from '../collectors/types.js';
import type { Sample } from '../metrics/spec.js';

/** Evenly spaced instants: `firstMs`, `firstMs + stepMs`, ... (`count` of them). */
export interface StepGrid {
  readonly firstMs: number;
  readonly stepMs: number;
  readonly count: number;
}

/**
 * A collector's samples at step `index` of the grid, asked for in increasing
 * order; a pass that reads its range a block of steps at a time answers with a
 * promise when a step opens the next block.
 */
export type StepSeries = (index: number) => readonly Sample[] | Promise<readonly Sample[]>;

/**
 * The optional hook a collector offers when evaluating it once per step would
 * repeat the same scan (lifetime counters: every step would count the whole
 * events table again): one grouped pass over the whole grid, then the values
 * step by step. `ctx.at` is the grid's last instant. It resolves to undefined
 * when these options have no grouped form (an overridden query the pass would
 * bypass): the backfill then evaluates the collector at every step.
 */
export type CollectSeries<Options = unknown, State = unknown> = (
  ctx: CollectorContext<Options, State>,
  grid: StepGrid,
) => Promise<StepSeries | undefined>;

/**
 * The grid extended back by the longest window that is a whole number of steps,
 * so that a count as of t − window is the count at an earlier step of the same
 * grid (a lag of window ÷ step) instead of one more read of a shifted grid.
 */
export function extendedBackByWindows(
  grid: StepGrid,
  windowsMs: readonly number[],
): { readonly extension: number; readonly extended: StepGrid } {
  const onGrid = windowsMs.filter((w) => w % grid.stepMs === 0);
  const extension = Math.max(0, ...onGrid.map((w) => w / grid.stepMs));
  return {
    extension,
    extended: {
      firstMs: grid.firstMs - extension * grid.stepMs,
      stepMs: grid.stepMs,
      count: grid.count + extension,
    },
  };
}
