import { applyDiscounts, coversProduct, discountApplies } from './discounts.js';
import { monthlyAmount, monthsPerInterval } from './item-amount.js';
import { itemsAt } from './items-at.js';
import type { BillingPolicy } from './policy.js';
import type { BillingItem, BillingSubscription } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a subscription counts in MRR at `at`. Past moments are judged from
 * the subscription's timestamps (start, trial end, end, past-due since), which
 * is how the month's opening MRR is reconstructed when it was not recorded.
 * `committed` also drops subscriptions whose cancellation is scheduled.
 */
export function countsAt(
  sub: BillingSubscription,
  at: Date,
  policy: BillingPolicy,
  committed = false,
): boolean {
  const t = at.getTime();
  if (sub.startedAt.getTime() > t) return false;
  if (sub.endedAt && sub.endedAt.getTime() <= t) return false;
  if (sub.trialEnd && sub.trialEnd.getTime() > t) return false;
  const cancellationScheduled = sub.cancelAtPeriodEnd || sub.cancelAt !== undefined;
  const requestedBy = !sub.canceledAt || sub.canceledAt.getTime() <= t;
  if (
    cancellationScheduled &&
    requestedBy &&
    (committed || policy.churnRecognition === 'at_request')
  )
    return false;
  switch (sub.status) {
    case 'active':
      return true;
    case 'canceled':
      // Still running at `at` if it ended later (endedAt was checked above).
      return sub.endedAt !== undefined;
    case 'past_due':
    case 'unpaid': {
      if (sub.pastDueSince && sub.pastDueSince.getTime() > t) return true;
      if (sub.status === 'unpaid') return false;
      const since = sub.pastDueSince?.getTime() ?? t;
      return t - since <= policy.pastDueGraceDays * DAY_MS;
    }
    default:
      // trialing, incomplete, incomplete_expired, paused: not revenue.
      return false;
  }
}

export interface ItemMrr {
  readonly item: BillingItem;
  readonly amount: number;
}

/**
 * Monthly amount of each licensed item after discounts: item discounts first,
 * then the subscription's. An amount off on the subscription is taken from the
 * invoice total, so it is shared between items in proportion to their amounts.
 * Metered items are excluded: their amount is not known in advance.
 */
export function itemMrr(sub: BillingSubscription, at: Date, policy: BillingPolicy): ItemMrr[] {
  // The items in force at `at`: after a plan change, those of the invoice covering it (Stripe).
  const inForce = itemsAt(sub, at);
  const licensed = inForce.items.filter((item) => item.price.usageType === 'licensed');
  const first = licensed[0]?.price;
  const monthsPerInvoice = first
    ? monthsPerInterval(first.interval, first.intervalCount, policy)
    : 1;
  const amounts = licensed.map((item) => {
    const price = item.price;
    const context = {
      at,
      currency: sub.currency,
      productId: price.productId,
      monthsPerInvoice: monthsPerInterval(price.interval, price.intervalCount, policy),
      policy,
    };
    const monthly = monthlyAmount(price, item.quantity ?? 0, policy);
    const percentOnly = inForce.discounts.filter((d) => d.percentOff !== undefined);
    return {
      item,
      amount: applyDiscounts(
        applyDiscounts(monthly, item.discounts, context),
        percentOnly,
        context,
      ),
    };
  });
  // Each amount-off coupon comes off the invoice lines it covers, shared between
  // them in proportion to their amounts, and never takes them below zero.
  const current = amounts.map((entry) => ({ ...entry }));
  for (const discount of inForce.discounts) {
    if (discount.percentOff !== undefined || discount.amountOff === undefined) continue;
    if (!discountApplies(discount, at, policy)) continue;
    if (discount.currency && discount.currency.toLowerCase() !== sub.currency.toLowerCase())
      continue;
    const covered = current.filter((entry) => coversProduct(discount, entry.item.price.productId));
    const coveredTotal = covered.reduce((sum, entry) => sum + entry.amount, 0);
    if (coveredTotal <= 0) continue;
    const off = Math.min(coveredTotal, discount.amountOff / monthsPerInvoice);
    for (const entry of covered) entry.amount -= (off * entry.amount) / coveredTotal;
  }
  return current.map(({ item, amount }) => ({ item, amount: Math.max(0, amount) }));
}

/** The subscription's MRR at `at` (0 when it does not count), minor units of its currency. */
export function subscriptionMrr(
  sub: BillingSubscription,
  at: Date,
  policy: BillingPolicy,
  committed = false,
): number {
  if (!countsAt(sub, at, policy, committed)) return 0;
  return itemMrr(sub, at, policy).reduce((sum, { amount }) => sum + amount, 0);
}
