import type { BillingPolicy } from './policy.js';
import type { BillingDiscount } from './types.js';

/** Whether a discount reduces MRR at `at` under the policy. */
export function discountApplies(
  discount: BillingDiscount,
  at: Date,
  policy: BillingPolicy,
): boolean {
  if (discount.end && discount.end.getTime() <= at.getTime()) return false;
  return policy.discounts === 'all_active' || discount.duration === 'forever';
}

/** Whether a coupon limited to some products covers this one. */
export function coversProduct(discount: BillingDiscount, productId: string): boolean {
  return !discount.appliesToProducts || discount.appliesToProducts.includes(productId);
}

/**
 * Applies discounts to a monthly amount. Percentages multiply; an amount off is
 * taken per invoice, so it is spread over the months the invoice covers. An
 * amount off in another currency than the subscription's does not apply. The
 * result never goes below zero.
 */
export function applyDiscounts(
  monthly: number,
  discounts: readonly BillingDiscount[],
  context: {
    at: Date;
    currency: string;
    productId: string;
    monthsPerInvoice: number;
    policy: BillingPolicy;
  },
): number {
  let amount = monthly;
  for (const discount of discounts) {
    if (!discountApplies(discount, context.at, context.policy)) continue;
    if (!coversProduct(discount, context.productId)) continue;
    if (discount.percentOff !== undefined) amount *= 1 - discount.percentOff / 100;
    else if (discount.amountOff !== undefined) {
      if (discount.currency && discount.currency.toLowerCase() !== context.currency.toLowerCase())
        continue;
      amount -= discount.amountOff / context.monthsPerInvoice;
    }
    amount = Math.max(0, amount);
  }
  return amount;
}
