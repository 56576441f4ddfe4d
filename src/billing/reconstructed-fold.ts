import { computeTotals, customerMrrAt, customersPayingBefore } from './aggregate.js';
import { addTotals, addWindow, type BillingFoldSettings } from './billing-fold.js';
import type { InstantFigures } from './instant-samples.js';
import { computeMovements, type MovementReport, movementKinds } from './movements.js';
import { trailingWindowFigures } from './trailing-window.js';
import type { BillingSnapshot } from './types.js';

/**
 * Billing's figures at one instant, summed page by page, when the month's
 * opening is reconstructed from the subscriptions (no month-opening store, as
 * in a backfill without one). The opening of a customer is then known from
 * their own subscriptions, so movements are computed within each page too and
 * nothing per customer outlives its page: many instants can be folded over
 * the same pages at once, each holding only its sums.
 */
export function reconstructedFolder(settings: BillingFoldSettings) {
  const { at, monthStart, policy, tiers, channels } = settings;
  let figures: Omit<InstantFigures, 'openingReconstructed'> | undefined;
  const add = (page: BillingSnapshot) => {
    const totals = computeTotals(page, at, policy, tiers, channels);
    const movements = computeMovements(
      customerMrrAt(page, monthStart, policy),
      totals.byCustomer,
      customersPayingBefore(page, monthStart),
    );
    // What movements needed of each customer is used: only the sums are kept.
    totals.byCustomer.clear();
    const windows = settings.windows.map((window) =>
      trailingWindowFigures(page, at, window, policy, tiers, channels),
    );
    figures = figures
      ? {
          totals: addTotals(figures.totals, totals),
          movements: addMovements(figures.movements, movements),
          windows: figures.windows.map((w, i) => addWindow(w, windows[i] ?? w)),
        }
      : { totals, movements, windows };
  };
  return {
    add,
    finish(): InstantFigures {
      if (!figures) add({ subscriptions: [], customers: [] });
      return { ...(figures as NonNullable<typeof figures>), openingReconstructed: true };
    },
  };
}

/** Adds the movements of disjoint sets of customers; returns `into`. */
function addMovements(into: MovementReport, from: MovementReport): MovementReport {
  for (const [currency, moved] of from.byCurrency) {
    const entry = into.byCurrency.get(currency);
    if (!entry) {
      into.byCurrency.set(currency, moved);
      continue;
    }
    const amounts = { ...entry.amounts };
    for (const kind of movementKinds) amounts[kind] += moved.amounts[kind];
    into.byCurrency.set(currency, {
      start: entry.start + moved.start,
      end: entry.end + moved.end,
      amounts,
    });
  }
  for (const kind of movementKinds) into.customers[kind] += from.customers[kind];
  return {
    ...into,
    payingAtStart: into.payingAtStart + from.payingAtStart,
    payingAtEnd: into.payingAtEnd + from.payingAtEnd,
  };
}
