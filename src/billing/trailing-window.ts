import { boundLabel } from '../shared/bounded-labels.js';
import { countByTier, customerMrrAt, customerTiersAt, paidFrom } from './aggregate.js';
import type { BillingPolicy } from './policy.js';
import type { TierMapping } from './tiers.js';
import type { BillingSnapshot } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The trailing windows billing computes same-window facts over (the `window` label). */
export const billingWindows = [{ label: '30d', days: 30 }] as const;

/** What happened over the window (start, end]: the facts acquisition and churn KPIs divide. */
export interface TrailingWindowFigures {
  readonly window: string;
  readonly start: Date;
  /** `channel|currency` → customers whose first paying moment fell in the window. */
  readonly acquired: Map<string, number>;
  /** `channel|currency` → MRR at the end of those customers, minor units. */
  readonly newMrr: Map<string, number>;
  /** Currency → customers paying in it at the start, and those of them paying nothing at the end. */
  readonly churn: Map<string, { readonly start: number; readonly churned: number }>;
  /** `tier|currency` → customers paying on the tier at the start. */
  readonly startByTier: Map<string, number>;
  /** `tier|currency` → of those, customers paying nothing at the end (another tier is not churn). */
  readonly churnedByTier: Map<string, number>;
}

const add = (map: Map<string, number>, key: string, value: number) =>
  map.set(key, (map.get(key) ?? 0) + value);

/**
 * The window of `days` ending at `end`. A customer is acquired when the first moment any of
 * their subscriptions paid (`paidFrom`) falls in it, in that subscription's currency and under
 * their organization's acquisition channel (bounded by `channels`, else `other`), whether or not
 * they still pay at the end; their new MRR is what they pay at the end. Churned: paying at the
 * start, nothing at the end.
 */
export function trailingWindowFigures(
  snapshot: BillingSnapshot,
  end: Date,
  window: { readonly label: string; readonly days: number },
  policy: BillingPolicy,
  tiers: TierMapping,
  channels: readonly string[],
): TrailingWindowFigures {
  const start = new Date(end.getTime() - window.days * DAY_MS);
  const channelOf = new Map(snapshot.customers.map((c) => [c.id, c.channel]));
  const first = new Map<string, { at: number; currency: string }>();
  for (const sub of snapshot.subscriptions) {
    const at = paidFrom(sub);
    if (at === undefined) continue;
    const known = first.get(sub.customerId);
    if (!known || at < known.at) {
      first.set(sub.customerId, { at, currency: sub.currency.toLowerCase() });
    }
  }
  const endMrr = customerMrrAt(snapshot, end, policy);
  const acquired = new Map<string, number>();
  const newMrr = new Map<string, number>();
  for (const [customer, { at, currency }] of first) {
    if (at <= start.getTime() || at > end.getTime()) continue;
    const channel = boundLabel(channelOf.get(customer), channels);
    add(acquired, `${channel}|${currency}`, 1);
    for (const [paidIn, amount] of endMrr.get(customer) ?? []) {
      add(newMrr, `${channel}|${paidIn}`, amount);
    }
  }
  const churn = new Map<string, { start: number; churned: number }>();
  for (const [customer, perCurrency] of customerMrrAt(snapshot, start, policy)) {
    const gone = !endMrr.has(customer);
    for (const currency of perCurrency.keys()) {
      const entry = churn.get(currency) ?? { start: 0, churned: 0 };
      entry.start += 1;
      if (gone) entry.churned += 1;
      churn.set(currency, entry);
    }
  }
  const tiersAtStart = customerTiersAt(snapshot, start, policy, tiers);
  return {
    window: window.label,
    start,
    acquired,
    newMrr,
    churn,
    startByTier: countByTier(tiersAtStart),
    churnedByTier: countByTier(tiersAtStart, (customer) => !endMrr.has(customer)),
  };
}
