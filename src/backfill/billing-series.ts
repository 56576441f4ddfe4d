/**
 * The `billing_mrr` collector over a step grid reading the billing mirror once
 * per block of steps instead of once per step. Every figure billing publishes
 * is a sum over customers of what their own subscriptions give at the instant
 * (reconstructed-fold.ts), so each page of customers the mirror yields is
 * folded into every step of the block at once; what stays in memory is the
 * page and each step's sums, never a customer's timeline across pages.
 *
 * It stands for the collector only where a step's result depends on nothing
 * but the mirror and the instant: the database source (the mirror holds the
 * current state, read the same at every step), without a month-opening store
 * (a store records and serves openings, a side effect per month the per-step
 * evaluation keeps). Otherwise it declines and the backfill evaluates the
 * collector at every step, as before.
 */

import { type InstantFigures, instantSamples } from '../billing/instant-samples.js';
import { mirrorPages } from '../billing/mirror-pages.js';
import { monthStartOf } from '../billing/month-opening.js';
import { reconstructedFolder } from '../billing/reconstructed-fold.js';
import { billingWindows } from '../billing/trailing-window.js';
import type { BillingMrrOptions } from '../collectors/billing-mrr.js';
import type { CollectorContext } from '../collectors/types.js';
import type { Sample } from '../metrics/spec.js';
import type { StepGrid, StepSeries } from './step-grid.js';

/**
 * Steps folded per read of the mirror: a year at 1 h reads it 18 times, not
 * 8,760; each step of a block keeps about a hundred sums until it is written.
 */
export const billingStepsPerRead = 500;

export async function billingSeries(
  ctx: CollectorContext<BillingMrrOptions, unknown>,
  grid: StepGrid,
): Promise<StepSeries | undefined> {
  const { sources, options, labelSets } = ctx;
  if (options.source !== 'database' || sources.monthStartStore) return undefined;
  const tiers = { tiers: options.tiers.values, byId: options.tiers.byId };
  const settings = {
    tiers: options.tiers.values,
    channels: labelSets.channels,
    source: options.source,
  };

  /** Every step of [from, from + count) folded over one read of the mirror. */
  const readBlock = async (from: number, count: number): Promise<InstantFigures[]> => {
    const folders = Array.from({ length: count }, (_, i) => {
      const at = new Date(grid.firstMs + (from + i) * grid.stepMs);
      return reconstructedFolder({
        at,
        monthStart: monthStartOf(at),
        policy: options.policy,
        tiers,
        channels: labelSets.channels,
        windows: billingWindows,
      });
    });
    await sources.app.readOnly(ctx.signal, async (query) => {
      for await (const page of mirrorPages(
        query,
        options.queries,
        ctx.reject,
        options.pageCustomers,
      ))
        for (const folder of folders) folder.add(page);
    });
    return folders.map((folder) => folder.finish());
  };

  let block: { from: number; figures: InstantFigures[] } | undefined;
  return async (index): Promise<Sample[]> => {
    if (!Number.isInteger(index) || index < 0 || index >= grid.count)
      throw new Error(`billing series: step ${index} is not on the grid of ${grid.count} steps`);
    if (!block || index < block.from || index >= block.from + block.figures.length) {
      const count = Math.min(billingStepsPerRead, grid.count - index);
      block = { from: index, figures: await readBlock(index, count) };
    }
    return instantSamples(block.figures[index - block.from] as InstantFigures, settings);
  };
}
