import type { BillingPolicy } from './policy.js';
import type { BillingPrice, Interval } from './types.js';

/** Billed units after transform_quantity (e.g. "per 5 seats, rounded up"). */
export function billedUnits(price: BillingPrice, quantity: number): number {
  const transform = price.transformQuantity;
  if (!transform) return quantity;
  const divided = quantity / transform.divideBy;
  return transform.round === 'up' ? Math.ceil(divided) : Math.floor(divided);
}

/** Tiered pricing: volume prices all units at the tier reached; graduated sums each tier's share. */
export function tieredAmount(price: BillingPrice, units: number): number {
  const tiers = price.tiers ?? [];
  if (tiers.length === 0)
    throw new Error(`price ${price.id} is tiered but has no tiers (expand data.tiers)`);
  if (price.tiersMode === 'volume') {
    const tier = tiers.find((t) => t.upTo === null || units <= t.upTo) ?? tiers[tiers.length - 1];
    return tier ? tier.unitAmount * units + tier.flatAmount : 0;
  }
  let total = 0;
  let previousUpTo = 0;
  for (const tier of tiers) {
    if (units <= previousUpTo) break;
    const upper = tier.upTo === null ? units : Math.min(units, tier.upTo);
    const inTier = upper - previousUpTo;
    if (inTier > 0) total += tier.unitAmount * inTier + tier.flatAmount;
    if (tier.upTo === null) break;
    previousUpTo = tier.upTo;
  }
  return total;
}

/** The amount billed each interval for a licensed item, minor units. */
export function amountPerInterval(price: BillingPrice, quantity: number): number {
  const units = billedUnits(price, quantity);
  if (price.billingScheme === 'tiered') return tieredAmount(price, units);
  return (price.unitAmount ?? 0) * units;
}

/** How many months one billing interval covers. */
export function monthsPerInterval(
  interval: Interval,
  count: number,
  policy: BillingPolicy,
): number {
  switch (interval) {
    case 'month':
      return count;
    case 'year':
      return 12 * count;
    case 'week':
      return count / policy.weeksPerMonth;
    case 'day':
      return count / policy.daysPerMonth;
  }
}

/** Normalises an interval amount to a month: year / 12, week x 52/12, day x 365/12, each / interval_count. */
export function monthlyAmount(
  price: BillingPrice,
  quantity: number,
  policy: BillingPolicy,
): number {
  return (
    amountPerInterval(price, quantity) /
    monthsPerInterval(price.interval, price.intervalCount, policy)
  );
}
