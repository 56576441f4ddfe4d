import type { BillingDiscount, BillingItem, BillingSubscription } from './types.js';

/**
 * Where the items a subscription had at an instant come from (the
 * `chom_billing_history_basis{basis}` label):
 * - `current_items`: the items the source holds now, in force then as far as the source can
 *   tell (always for a live run; the billing mirror keeps no item history, so always there);
 * - `invoice_lines`: Stripe, the current items started later: the line items of the paid
 *   invoice whose period covers the instant;
 * - `current_items_changed_later`: Stripe, the current items started later and no paid invoice
 *   covers the instant (none issued, or invoices not readable): the current items stand in.
 */
export const itemBases = ['current_items', 'invoice_lines', 'current_items_changed_later'] as const;
export type ItemBasis = (typeof itemBases)[number];

export interface ItemsAt {
  readonly items: readonly BillingItem[];
  readonly discounts: readonly BillingDiscount[];
  readonly basis: ItemBasis;
}

/** The items and discounts of `sub` in force at `at`, and where they come from. */
export function itemsAt(sub: BillingSubscription, at: Date): ItemsAt {
  const t = at.getTime();
  if (!sub.itemsSince || t >= sub.itemsSince.getTime()) {
    return { items: sub.items, discounts: sub.discounts, basis: 'current_items' };
  }
  const period = sub.itemHistory?.find((p) => p.from.getTime() <= t && t < p.to.getTime());
  if (period) return { items: period.items, discounts: period.discounts, basis: 'invoice_lines' };
  return { items: sub.items, discounts: sub.discounts, basis: 'current_items_changed_later' };
}
