import type Stripe from 'stripe';
import type { Reject } from '../shared/reject.js';
import { paymentFailingSince } from './dunning.js';
import {
  oneOf,
  type PriceCatalogue,
  priceFromStripe,
  StripeMappingError,
} from './stripe-price-mapping.js';
import {
  type BillingCustomer,
  type BillingDiscount,
  type BillingInvoice,
  type BillingItem,
  type BillingSubscription,
  subscriptionStatuses,
} from './types.js';

export { StripeMappingError } from './stripe-price-mapping.js';

/**
 * What the catalogue lists delivered, by id, to resolve references that a
 * subscription carries as ids: item prices (for tiers and products), coupons
 * (discounts name them by id), discounts (ids when not expanded) and customers
 * (their discount applies to subscriptions that have none).
 */
export interface StripeCatalogue extends PriceCatalogue {
  readonly coupons: ReadonlyMap<string, Stripe.Coupon>;
  readonly discounts: ReadonlyMap<string, Stripe.Discount>;
  readonly customers: ReadonlyMap<string, Stripe.Customer>;
  /** Invoices of past-due and unpaid subscriptions, by subscription id, when they could be read. */
  readonly invoices?: ReadonlyMap<string, readonly BillingInvoice[]>;
}

const byId = <T extends { id: string }>(list: readonly T[]) =>
  new Map(list.filter((o) => typeof o?.id === 'string').map((o) => [o.id, o]));

/** Indexes the listed objects; products and discounts come embedded in prices and customers. */
export function buildCatalogue(lists: {
  prices: readonly Stripe.Price[];
  coupons: readonly Stripe.Coupon[];
  customers: readonly Stripe.Customer[];
  invoices?: ReadonlyMap<string, readonly BillingInvoice[]>;
}): StripeCatalogue {
  const products = lists.prices
    .map((price) => price?.product)
    .filter((p): p is Stripe.Product => typeof p === 'object' && p !== null && !p.deleted);
  const discounts = lists.customers
    .map((customer) => customer?.discount)
    .filter((d): d is Stripe.Discount => typeof d === 'object' && d !== null);
  return {
    prices: byId(lists.prices),
    products: byId(products),
    coupons: byId(lists.coupons),
    discounts: byId(discounts),
    customers: byId(lists.customers),
    ...(lists.invoices ? { invoices: lists.invoices } : {}),
  };
}

/** A Unix timestamp (seconds) as a Date; absent stays absent. */
function timestamp(value: unknown, where: string): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StripeMappingError(`${where} is not a Unix timestamp`);
  }
  return new Date(value * 1000);
}

const idOf = (ref: unknown) =>
  typeof ref === 'string' ? ref : (ref as { id?: unknown } | null)?.id;

/**
 * A coupon from the catalogue first: the list expands `applies_to` and
 * `currency_options`, which an embedded coupon lacks. An embedded coupon is
 * the fallback for a coupon deleted since it was applied (no longer listed).
 */
function couponOf(discount: Stripe.Discount, catalogue: StripeCatalogue, where: string) {
  const ref = discount.source?.coupon;
  const id = idOf(ref);
  const coupon =
    (typeof id === 'string' ? catalogue.coupons.get(id) : undefined) ??
    (typeof ref === 'object' && ref !== null ? ref : undefined);
  if (!coupon) throw new StripeMappingError(`${where}: coupon ${String(id)} is unknown`);
  return coupon;
}

/**
 * Maps a discount (object, or id of one the catalogue knows). A multi-currency
 * coupon's amount off in the subscription's currency is in `currency_options`.
 */
export function discountFromStripe(
  ref: string | Stripe.Discount,
  currency: string,
  catalogue: StripeCatalogue,
): BillingDiscount {
  const discount = typeof ref === 'string' ? catalogue.discounts.get(ref) : ref;
  if (!discount || typeof discount !== 'object') {
    throw new StripeMappingError(`discount ${String(ref)} is neither expanded nor known`);
  }
  const where = `discount ${discount.id}`;
  const coupon = couponOf(discount, catalogue, where);
  const duration = oneOf(
    coupon.duration,
    ['once', 'repeating', 'forever'],
    `${where}: coupon duration`,
  );
  const products = coupon.applies_to?.products;
  const common = {
    duration,
    end: timestamp(discount.end, `${where}: end`),
    appliesToProducts: Array.isArray(products) ? products.map(String) : undefined,
  } as const;
  if (typeof coupon.percent_off === 'number') return { ...common, percentOff: coupon.percent_off };
  if (typeof coupon.amount_off === 'number') {
    const couponCurrency = coupon.currency?.toLowerCase();
    const local = coupon.currency_options?.[currency]?.amount_off;
    if (couponCurrency !== currency && typeof local === 'number') {
      return { ...common, amountOff: local, currency };
    }
    return { ...common, amountOff: coupon.amount_off, currency: couponCurrency };
  }
  throw new StripeMappingError(
    `${where}: coupon ${coupon.id} has neither percent_off nor amount_off`,
  );
}

function discountsFromStripe(
  refs: unknown,
  currency: string,
  catalogue: StripeCatalogue,
  where: string,
): BillingDiscount[] {
  if (refs === null || refs === undefined) return [];
  if (!Array.isArray(refs)) throw new StripeMappingError(`${where}: discounts is not a list`);
  return refs.map((ref) => discountFromStripe(ref, currency, catalogue));
}

function itemFromStripe(
  item: Stripe.SubscriptionItem,
  currency: string,
  catalogue: StripeCatalogue,
): BillingItem {
  const where = `item ${String(item?.id)}`;
  const price = priceFromStripe(item.price, currency, catalogue);
  const quantity = typeof item.quantity === 'number' ? item.quantity : undefined;
  return {
    price,
    quantity,
    discounts: discountsFromStripe(item.discounts, currency, catalogue, where),
  };
}

/**
 * The end of the paid period: the start of the current billing period, which
 * a renewal starts whether or not its payment succeeds. The earliest of the
 * items' periods (they share one unless billing is flexible).
 */
export function paidPeriodEnd(sub: Stripe.Subscription, where: string): Date | undefined {
  const starts = (sub.items?.data ?? [])
    .map((item) => timestamp(item?.current_period_start, `${where}: current_period_start`))
    .filter((start) => start !== undefined);
  return starts.length > 0 ? new Date(Math.min(...starts.map((d) => d.getTime()))) : undefined;
}

/** past_due / unpaid: when payment first failed in the current dunning episode. */
function pastDueSince(
  sub: Stripe.Subscription,
  catalogue: StripeCatalogue,
  where: string,
): Date | undefined {
  if (sub.status !== 'past_due' && sub.status !== 'unpaid') return undefined;
  return paymentFailingSince(catalogue.invoices?.get(sub.id), paidPeriodEnd(sub, where));
}

function mapSubscription(
  sub: Stripe.Subscription,
  catalogue: StripeCatalogue,
): BillingSubscription {
  const where = `subscription ${sub.id}`;
  const status = oneOf(sub.status, subscriptionStatuses, `${where}: status`);
  if (typeof sub.currency !== 'string' || sub.currency === '') {
    throw new StripeMappingError(`${where} has no currency`);
  }
  const currency = sub.currency.toLowerCase();
  const customerId = idOf(sub.customer);
  if (typeof customerId !== 'string') throw new StripeMappingError(`${where} has no customer`);
  const startedAt = timestamp(sub.start_date, `${where}: start_date`);
  if (!startedAt) throw new StripeMappingError(`${where} has no start_date`);
  const items = sub.items?.data;
  if (!Array.isArray(items)) throw new StripeMappingError(`${where} has no items list`);
  // Only the first page of items is embedded; a partial list would understate MRR.
  if (sub.items.has_more) throw new StripeMappingError(`${where} has more items than embedded`);
  const own = discountsFromStripe(sub.discounts, currency, catalogue, where);
  const customer =
    typeof sub.customer === 'object' && sub.customer !== null && !sub.customer.deleted
      ? sub.customer
      : catalogue.customers.get(customerId);
  // Stripe applies the customer's discount to invoices of subscriptions without their own.
  const inherited =
    own.length === 0 && customer?.discount
      ? [discountFromStripe(customer.discount, currency, catalogue)]
      : [];
  return {
    id: sub.id,
    customerId,
    status,
    currency,
    startedAt,
    trialEnd: timestamp(sub.trial_end, `${where}: trial_end`),
    cancelAtPeriodEnd: sub.cancel_at_period_end === true,
    cancelAt: timestamp(sub.cancel_at, `${where}: cancel_at`),
    canceledAt: timestamp(sub.canceled_at, `${where}: canceled_at`),
    endedAt: timestamp(sub.ended_at, `${where}: ended_at`),
    pastDueSince: pastDueSince(sub, catalogue, where),
    items: items.map((item) => itemFromStripe(item, currency, catalogue)),
    discounts: own.length > 0 ? own : inherited,
  };
}

/**
 * Maps a Stripe subscription onto the model. Anything it cannot map exactly
 * (unknown status, a tiered price without tiers, an unresolvable coupon) is
 * reported and the subscription left out: a guess would skew MRR silently.
 */
export function subscriptionFromStripe(
  sub: Stripe.Subscription,
  catalogue: StripeCatalogue,
  reject: Reject,
): BillingSubscription | undefined {
  try {
    if (typeof sub?.id !== 'string') throw new StripeMappingError('subscription has no id');
    return mapSubscription(sub, catalogue);
  } catch (error) {
    reject('invalid_stripe_subscription', {
      subscription: typeof sub?.id === 'string' ? sub.id : undefined,
      error: (error as Error).message,
    });
    return undefined;
  }
}

/** Maps a customer; the acquisition channel is read from its metadata. */
export function customerFromStripe(
  customer: Stripe.Customer,
  channelMetadataKey = 'channel',
  reject: Reject = () => {},
): BillingCustomer | undefined {
  if (typeof customer?.id !== 'string') {
    reject('invalid_stripe_customer', { error: 'customer has no id' });
    return undefined;
  }
  const channel = customer.metadata?.[channelMetadataKey];
  return {
    id: customer.id,
    channel: typeof channel === 'string' && channel.trim() !== '' ? channel : undefined,
  };
}
