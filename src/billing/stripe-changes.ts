/**
 * Which Stripe events change what the billing model reads, and which objects
 * to fetch again for each. An event's own copy of the object is not used: it
 * is rendered in the account's API version (not the SDK's pinned one) and
 * with every reference collapsed to an id, so the object is retrieved again,
 * expanded, in the pinned version.
 */

/** At most 20: the limit of `types[]` on the events list. */
export const watchedEventTypes = [
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.discount.created',
  'customer.discount.updated',
  'customer.discount.deleted',
  'price.created',
  'price.updated',
  'price.deleted',
  'product.updated',
  'coupon.created',
  'coupon.updated',
  'coupon.deleted',
  'invoice.paid',
  'invoice.payment_failed',
] as const;

const watched = new Set<string>(watchedEventTypes);

/** Ids to fetch again, by list; a changed product refreshes the whole price list. */
export interface StripeChanges {
  readonly subscriptions: Set<string>;
  readonly customers: Set<string>;
  readonly prices: Set<string>;
  readonly coupons: Set<string>;
  allPrices: boolean;
}

export const noChanges = (): StripeChanges => ({
  subscriptions: new Set(),
  customers: new Set(),
  prices: new Set(),
  coupons: new Set(),
  allPrices: false,
});

/** Objects to retrieve one by one; a price-list refresh counts as one. */
export function changeCount(changes: StripeChanges): number {
  return (
    changes.subscriptions.size +
    changes.customers.size +
    changes.prices.size +
    changes.coupons.size +
    (changes.allPrices ? 1 : 0)
  );
}

/** The minimal shape of an event this module reads; anything else in it is ignored. */
export interface EventLike {
  readonly id?: unknown;
  readonly type?: unknown;
  readonly data?: { readonly object?: unknown } | null;
}

const idOf = (value: unknown): string | undefined => {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'object' && value !== null) {
    const id = (value as { id?: unknown }).id;
    if (typeof id === 'string' && id !== '') return id;
  }
  return undefined;
};

/**
 * Adds what `event` changed to `changes`. Returns false when the event is not
 * one the billing model depends on, or names no object to fetch again.
 */
export function addEventChanges(changes: StripeChanges, event: EventLike): boolean {
  const type = typeof event.type === 'string' ? event.type : '';
  if (!watched.has(type)) return false;
  if (type.startsWith('product.')) {
    // Prices embed their product (its tier metadata): re-list them.
    changes.allPrices = true;
    return true;
  }
  const object = (event.data?.object ?? {}) as Record<string, unknown>;
  const named: [Set<string>, string | undefined][] = [];
  if (type.startsWith('customer.subscription.')) {
    named.push([changes.subscriptions, idOf(object)]);
  } else if (type.startsWith('customer.discount.')) {
    // A discount lives on a customer or on one subscription: fetch its holder.
    named.push([changes.customers, idOf(object.customer)]);
    named.push([changes.subscriptions, idOf(object.subscription)]);
  } else if (type.startsWith('customer.')) {
    named.push([changes.customers, idOf(object)]);
  } else if (type.startsWith('price.')) {
    named.push([changes.prices, idOf(object)]);
  } else if (type.startsWith('coupon.')) {
    named.push([changes.coupons, idOf(object)]);
  } else if (type.startsWith('invoice.')) {
    // The subscription's latest invoice dates a payment failure. Newer API versions
    // name the subscription under `parent`, older ones at the top.
    const parent = object.parent as { subscription_details?: { subscription?: unknown } } | null;
    named.push([
      changes.subscriptions,
      idOf(parent?.subscription_details?.subscription) ?? idOf(object.subscription),
    ]);
  }
  let any = false;
  for (const [set, id] of named) {
    if (id === undefined) continue;
    set.add(id);
    any = true;
  }
  return any;
}

/**
 * The invoice an `invoice.paid` event says was paid. Item history reads it by id: it may have
 * been created long before it was paid (a retried payment, a sent invoice paid at its due date),
 * so the rounds' list of newly created paid invoices never shows it.
 */
export function paidInvoiceOf(event: EventLike): string | undefined {
  if (event.type !== 'invoice.paid') return undefined;
  return idOf(event.data?.object);
}
