import { boundLabel } from '../shared/bounded-labels.js';
import { type ItemBasis, itemsAt } from './items-at.js';
import type { BillingPolicy } from './policy.js';
import { statusAt } from './status-at.js';
import { countsAt, itemMrr, subscriptionMrr } from './subscription-mrr.js';
import { type TierMapping, tierOf } from './tiers.js';
import type { BillingSnapshot, BillingSubscription } from './types.js';

/** MRR per customer and currency, minor units. */
export type CustomerMrr = Map<string, Map<string, number>>;

export interface MrrTotals {
  /** `tier|currency` → MRR. */
  readonly byTier: Map<string, number>;
  /** `channel|currency` → MRR. */
  readonly byChannel: Map<string, number>;
  readonly committed: Map<string, number>;
  readonly byCustomer: CustomerMrr;
  /** Paying customers (MRR > 0) per currency. */
  readonly customersByCurrency: Map<string, number>;
  /** Paying customers with MRR on the tier, `tier|currency` → count (one customer may count on two tiers). */
  readonly customersByTier: Map<string, number>;
  /** Subscriptions that existed at the instant, by the status they had then. */
  readonly subscriptionsByStatus: Map<string, number>;
  /** Subscriptions counted in MRR, by where their items at the instant come from. */
  readonly itemBases: Map<ItemBasis, number>;
}

const add = (map: Map<string, number>, key: string, value: number) =>
  map.set(key, (map.get(key) ?? 0) + value);

/** MRR per customer at `at` (only customers with MRR > 0). */
export function customerMrrAt(
  snapshot: BillingSnapshot,
  at: Date,
  policy: BillingPolicy,
): CustomerMrr {
  const result: CustomerMrr = new Map();
  for (const sub of snapshot.subscriptions) {
    const amount = subscriptionMrr(sub, at, policy);
    if (amount <= 0) continue;
    const currency = sub.currency.toLowerCase();
    const perCurrency = result.get(sub.customerId) ?? new Map<string, number>();
    add(perCurrency, currency, amount);
    result.set(sub.customerId, perCurrency);
  }
  return result;
}

/** Every total the billing metrics need, at `at`. */
export function computeTotals(
  snapshot: BillingSnapshot,
  at: Date,
  policy: BillingPolicy,
  tiers: TierMapping,
  channels: readonly string[],
): MrrTotals {
  const channelOf = new Map(snapshot.customers.map((c) => [c.id, c.channel]));
  const byTier = new Map<string, number>();
  const byChannel = new Map<string, number>();
  const committed = new Map<string, number>();
  const subscriptionsByStatus = new Map<string, number>();
  const itemBases = new Map<ItemBasis, number>();
  for (const sub of snapshot.subscriptions) {
    const status = statusAt(sub, at);
    if (status !== undefined) add(subscriptionsByStatus, status, 1);
    const currency = sub.currency.toLowerCase();
    if (!countsAt(sub, at, policy)) continue;
    add(itemBases as Map<string, number>, itemsAt(sub, at).basis, 1);
    // The same mapping as marketing spend's, so revenue and spend by channel line up.
    const channel = boundLabel(channelOf.get(sub.customerId), channels);
    for (const { item, amount } of itemMrr(sub, at, policy)) {
      if (amount <= 0) continue;
      add(byTier, `${tierOf(item.price, tiers)}|${currency}`, amount);
      add(byChannel, `${channel}|${currency}`, amount);
    }
    const committedAmount = subscriptionMrr(sub, at, policy, true);
    if (committedAmount > 0) add(committed, currency, committedAmount);
  }
  const byCustomer = customerMrrAt(snapshot, at, policy);
  const customersByCurrency = new Map<string, number>();
  for (const perCurrency of byCustomer.values()) {
    for (const currency of perCurrency.keys()) add(customersByCurrency, currency, 1);
  }
  return {
    byTier,
    byChannel,
    committed,
    byCustomer,
    customersByCurrency,
    customersByTier: countByTier(customerTiersAt(snapshot, at, policy, tiers)),
    subscriptionsByStatus,
    itemBases,
  };
}

/** Per paying customer, the `tier|currency` keys they have MRR on at `at`. */
export function customerTiersAt(
  snapshot: BillingSnapshot,
  at: Date,
  policy: BillingPolicy,
  tiers: TierMapping,
): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const sub of snapshot.subscriptions) {
    if (!countsAt(sub, at, policy)) continue;
    const currency = sub.currency.toLowerCase();
    for (const { item, amount } of itemMrr(sub, at, policy)) {
      if (amount <= 0) continue;
      const keys = result.get(sub.customerId) ?? new Set<string>();
      keys.add(`${tierOf(item.price, tiers)}|${currency}`);
      result.set(sub.customerId, keys);
    }
  }
  return result;
}

/** Customers per `tier|currency` key. */
export function countByTier(
  tiersByCustomer: ReadonlyMap<string, ReadonlySet<string>>,
  only?: (customer: string) => boolean,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [customer, keys] of tiersByCustomer) {
    if (only && !only(customer)) continue;
    for (const key of keys) add(counts, key, 1);
  }
  return counts;
}

/**
 * Customers who paid before `before`: a subscription of theirs had started and
 * left its trial before that moment. Tells a reactivation from a new customer.
 */
export function customersPayingBefore(snapshot: BillingSnapshot, before: Date): Set<string> {
  const result = new Set<string>();
  const t = before.getTime();
  for (const sub of snapshot.subscriptions) {
    const from = paidFrom(sub);
    if (from !== undefined && from < t) result.add(sub.customerId);
  }
  return result;
}

/**
 * When a subscription first paid (ms): its start, or its trial's end; undefined when it never
 * did (an incomplete first payment, a trial that ended into paused or was canceled first).
 */
export function paidFrom(sub: BillingSubscription): number | undefined {
  if (sub.status === 'incomplete' || sub.status === 'incomplete_expired' || sub.status === 'paused')
    return undefined;
  const from = Math.max(sub.startedAt.getTime(), sub.trialEnd?.getTime() ?? 0);
  const until = sub.endedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return from < until ? from : undefined;
}
