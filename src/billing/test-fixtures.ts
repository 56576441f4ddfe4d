/**
 * Small factories for the billing engine's unit tests. Each returns a valid
 * object with plain defaults (a 10.00 USD monthly licensed price, quantity 1,
 * an active subscription started long before `NOW`); tests override only the
 * fields they are about. Not used by production code.
 */
import type { CustomerMrr } from './aggregate.js';
import { type BillingPolicy, defaultBillingPolicy } from './policy.js';
import type {
  BillingCustomer,
  BillingDiscount,
  BillingItem,
  BillingPrice,
  BillingSnapshot,
  BillingSubscription,
} from './types.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The moment most tests judge at. */
export const NOW = new Date('2025-06-15T12:00:00Z');

/** `NOW` shifted by a number of days (negative is earlier). */
export const daysFromNow = (days: number): Date => new Date(NOW.getTime() + days * DAY_MS);

export function policy(overrides: Partial<BillingPolicy> = {}): BillingPolicy {
  return { ...defaultBillingPolicy, ...overrides };
}

export function price(overrides: Partial<BillingPrice> = {}): BillingPrice {
  return {
    id: 'price_basic',
    productId: 'prod_basic',
    usageType: 'licensed',
    interval: 'month',
    intervalCount: 1,
    billingScheme: 'per_unit',
    unitAmount: 1000,
    ...overrides,
  };
}

export function discount(overrides: Partial<BillingDiscount> = {}): BillingDiscount {
  return { duration: 'forever', ...overrides };
}

export function item(overrides: Partial<BillingItem> = {}): BillingItem {
  return { price: price(), quantity: 1, discounts: [], ...overrides };
}

let nextId = 0;

export function subscription(overrides: Partial<BillingSubscription> = {}): BillingSubscription {
  nextId += 1;
  return {
    id: `sub_${nextId}`,
    customerId: 'cus_1',
    status: 'active',
    currency: 'usd',
    startedAt: daysFromNow(-365),
    cancelAtPeriodEnd: false,
    items: [item()],
    discounts: [],
    ...overrides,
  };
}

export function customer(id: string, channel?: string): BillingCustomer {
  return channel === undefined ? { id } : { id, channel };
}

export function snapshot(
  subscriptions: readonly BillingSubscription[],
  customers: readonly BillingCustomer[] = [],
): BillingSnapshot {
  return { subscriptions, customers };
}

/** `{ cus_1: { usd: 1000 } }` → the engine's nested map. */
export function mrrMap(record: Record<string, Record<string, number>>): CustomerMrr {
  return new Map(
    Object.entries(record).map(([customerId, perCurrency]) => [
      customerId,
      new Map(Object.entries(perCurrency)),
    ]),
  );
}

/** A CustomerMrr as a plain object, for readable equality assertions. */
export function mrrRecord(mrr: CustomerMrr): Record<string, Record<string, number>> {
  return Object.fromEntries(
    [...mrr].map(([customerId, perCurrency]) => [customerId, Object.fromEntries(perCurrency)]),
  );
}
