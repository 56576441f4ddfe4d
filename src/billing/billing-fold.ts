import {
  type CustomerMrr,
  computeTotals,
  customerMrrAt,
  customersPayingBefore,
  type MrrTotals,
} from './aggregate.js';
import type { BillingPolicy } from './policy.js';
import type { TierMapping } from './tiers.js';
import { type TrailingWindowFigures, trailingWindowFigures } from './trailing-window.js';
import type { BillingSnapshot } from './types.js';

export interface BillingFoldSettings {
  readonly at: Date;
  readonly monthStart: Date;
  readonly policy: BillingPolicy;
  readonly tiers: TierMapping;
  readonly channels: readonly string[];
  readonly windows: readonly { readonly label: string; readonly days: number }[];
}

/** What billing needs of every page, put together. */
export interface BillingFold {
  /** The totals at `at`; `byCustomer` is the end MRR movements compare with the opening. */
  readonly totals: MrrTotals;
  readonly windows: readonly TrailingWindowFigures[];
  /** MRR per customer at the month's start, reconstructed from the subscriptions. */
  readonly reconstructedOpening: CustomerMrr;
  /** Customers who paid before the month began, by their subscriptions. */
  readonly paidBeforeMonth: ReadonlySet<string>;
}

const addInto = <K>(into: Map<K, number>, from: ReadonlyMap<K, number>) => {
  for (const [key, value] of from) into.set(key, (into.get(key) ?? 0) + value);
};

const mergeInto = <V>(into: Map<string, V>, from: ReadonlyMap<string, V>) => {
  for (const [key, value] of from) into.set(key, value);
};

/**
 * Sums billing's figures over pages of the snapshot. Every figure is a sum over
 * customers of what one customer's subscriptions give, so pages that each hold
 * all of their customers' subscriptions (and no customer in two pages) add up to
 * the figures of the whole snapshot. Only per-customer MRR at two instants and the
 * customers paid before are kept across pages: what movements compare.
 */
export function billingFolder(settings: BillingFoldSettings) {
  const { at, monthStart, policy, tiers, channels } = settings;
  let totals: MrrTotals | undefined;
  let windows: TrailingWindowFigures[] | undefined;
  const reconstructedOpening: CustomerMrr = new Map();
  const paidBeforeMonth = new Set<string>();
  return {
    add(page: BillingSnapshot): void {
      const pageTotals = computeTotals(page, at, policy, tiers, channels);
      totals = totals ? addTotals(totals, pageTotals) : pageTotals;
      const pageWindows = settings.windows.map((window) =>
        trailingWindowFigures(page, at, window, policy, tiers, channels),
      );
      windows = windows ? windows.map((w, i) => addWindow(w, pageWindows[i] ?? w)) : pageWindows;
      mergeInto(reconstructedOpening, customerMrrAt(page, monthStart, policy));
      for (const customer of customersPayingBefore(page, monthStart)) paidBeforeMonth.add(customer);
    },
    finish(): BillingFold {
      const empty: BillingSnapshot = { subscriptions: [], customers: [] };
      return {
        totals: totals ?? computeTotals(empty, at, policy, tiers, channels),
        windows:
          windows ??
          settings.windows.map((window) =>
            trailingWindowFigures(empty, at, window, policy, tiers, channels),
          ),
        reconstructedOpening,
        paidBeforeMonth,
      };
    },
  };
}

/** Adds `from` into `into` (figures of disjoint sets of customers); returns `into`. */
export function addTotals(into: MrrTotals, from: MrrTotals): MrrTotals {
  addInto(into.byTier, from.byTier);
  addInto(into.byChannel, from.byChannel);
  addInto(into.committed, from.committed);
  mergeInto(into.byCustomer, from.byCustomer);
  addInto(into.customersByCurrency, from.customersByCurrency);
  addInto(into.customersByTier, from.customersByTier);
  addInto(into.subscriptionsByStatus, from.subscriptionsByStatus);
  addInto(into.itemBases, from.itemBases);
  return into;
}

/** Adds `from` into `into` (the same window over disjoint sets of customers); returns `into`. */
export function addWindow(
  into: TrailingWindowFigures,
  from: TrailingWindowFigures,
): TrailingWindowFigures {
  addInto(into.acquired, from.acquired);
  addInto(into.newMrr, from.newMrr);
  addInto(into.startByTier, from.startByTier);
  addInto(into.churnedByTier, from.churnedByTier);
  for (const [currency, { start, churned }] of from.churn) {
    const entry = into.churn.get(currency);
    into.churn.set(currency, {
      start: (entry?.start ?? 0) + start,
      churned: (entry?.churned ?? 0) + churned,
    });
  }
  return into;
}
