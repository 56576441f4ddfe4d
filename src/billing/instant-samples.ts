import type { Sample } from '../metrics/spec.js';
import type { MrrTotals } from './aggregate.js';
import { billingSamples, currenciesOf } from './billing-samples.js';
import type { MovementReport } from './movements.js';
import type { TrailingWindowFigures } from './trailing-window.js';
import { subscriptionStatuses } from './types.js';
import { windowSamples } from './window-samples.js';

/** Everything billing computed as of one instant. */
export interface InstantFigures {
  readonly totals: MrrTotals;
  readonly movements: MovementReport;
  readonly windows: readonly TrailingWindowFigures[];
  readonly openingReconstructed: boolean;
}

export interface InstantSampleSettings {
  readonly tiers: readonly string[];
  readonly channels: readonly string[];
  readonly source: 'database' | 'stripe';
}

/**
 * The samples of one billing run (or backfill step): the month's figures, then
 * each trailing window's; the live collector and the backfill's grouped pass
 * both turn their figures into samples here, so they cannot drift apart.
 */
export function instantSamples(figures: InstantFigures, settings: InstantSampleSettings): Sample[] {
  const { totals, movements } = figures;
  const samples = billingSamples({
    totals,
    movements,
    openingReconstructed: figures.openingReconstructed,
    tiers: settings.tiers,
    statuses: subscriptionStatuses,
    source: settings.source,
  });
  for (const window of figures.windows) {
    samples.push(
      ...windowSamples(window, {
        currencies: currenciesOf(totals, movements),
        tiers: settings.tiers,
        channels: settings.channels,
      }),
    );
  }
  return samples;
}
