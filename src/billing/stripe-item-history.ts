import type Stripe from 'stripe';
import type { Reject } from '../shared/reject.js';
import { discountFromStripe, type StripeCatalogue } from './stripe-mapping.js';
import type { PaidInvoice } from './stripe-paid-invoice.js';
import { priceFromStripe, StripeMappingError } from './stripe-price-mapping.js';
import type { BillingSubscription, ItemPeriod } from './types.js';

/**
 * Rebuilds which items a Stripe subscription had over past billing periods from its paid
 * invoices, and when its current items came into force.
 *
 * A plan change usually keeps the subscription item's id and `created`, so the subscription
 * itself cannot show it. Each paid invoice's non-proration lines give the items billed for one
 * period (price, quantity, period, the line's and the invoice's discounts). Comparing the
 * periods, newest first, with the current items finds the last change; a proration line dates
 * it (its period starts at the change), otherwise the next invoice's period start does (a
 * change at renewal), otherwise it happened during the newest period whose invoice shows other
 * items, and the current items are taken for the whole of it.
 */

const SECOND = 1000;

/** A period as billed, with what identifies its items for comparison. */
interface BilledPeriod extends ItemPeriod {
  readonly signature: string;
  readonly created: number;
}

const isMetered = (price: Stripe.Price | undefined) => price?.recurring?.usage_type === 'metered';

const discountIds = (refs: readonly unknown[] | null | undefined): string[] =>
  (refs ?? [])
    .map((ref) => (typeof ref === 'string' ? ref : (ref as { id?: unknown } | null)?.id))
    .filter((id): id is string => typeof id === 'string');

/** Licensed items (price × quantity, item discounts) and the invoice-level discounts. */
const signatureOf = (
  items: readonly { priceId: string; quantity?: number; discounts: readonly string[] }[],
  discounts: readonly string[],
) =>
  [...items.map((i) => `${i.priceId}×${i.quantity ?? ''}[${[...i.discounts].sort().join(',')}]`)]
    .sort()
    .concat(`|${[...discounts].sort().join(',')}`)
    .join(';');

/** The current items' signature, comparable with an invoice's. */
function currentSignature(sub: Stripe.Subscription, catalogue: StripeCatalogue): string {
  const items = (sub.items?.data ?? [])
    .filter((item) => !isMetered(catalogue.prices.get(item.price?.id) ?? item.price))
    .map((item) => ({
      priceId: item.price.id,
      quantity: typeof item.quantity === 'number' ? item.quantity : undefined,
      discounts: discountIds(item.discounts),
    }));
  const own = discountIds(sub.discounts);
  const customerId = typeof sub.customer === 'string' ? sub.customer : sub.customer?.id;
  const customerDiscount = catalogue.customers.get(customerId ?? '')?.discount?.id;
  // Stripe bills the customer's discount on invoices of subscriptions without their own.
  return signatureOf(items, own.length > 0 ? own : customerDiscount ? [customerDiscount] : []);
}

/** The period one paid invoice billed, or undefined when it billed no licensed item. */
function billedPeriod(
  invoice: PaidInvoice,
  currency: string,
  catalogue: StripeCatalogue,
): BilledPeriod | undefined {
  const lines = invoice.lines.filter((line) => !line.proration);
  const licensed = lines.filter((line) => {
    const price = catalogue.prices.get(line.priceId);
    if (!price) {
      throw new StripeMappingError(`invoice ${invoice.id}: price ${line.priceId} is unknown`);
    }
    return !isMetered(price);
  });
  if (licensed.length === 0) return undefined;
  const items = licensed.map((line) => ({
    price: priceFromStripe(catalogue.prices.get(line.priceId) as Stripe.Price, currency, catalogue),
    quantity: line.quantity,
    discounts: line.discounts.map((d) => discountFromStripe(d, currency, catalogue)),
  }));
  return {
    from: new Date(Math.min(...licensed.map((l) => l.start)) * SECOND),
    to: new Date(Math.max(...licensed.map((l) => l.end)) * SECOND),
    items,
    discounts: invoice.discounts.map((d) => discountFromStripe(d, currency, catalogue)),
    signature: signatureOf(
      licensed.map((l) => ({ ...l, discounts: discountIds(l.discounts) })),
      discountIds(invoice.discounts),
    ),
    created: invoice.created,
  };
}

/** The first change instant (ms) in [from, to), from the prorations, if any. */
const changeWithin = (changes: readonly number[], from: number, to: number) =>
  changes.find((t) => t > from && t < to);

/**
 * `sub` with `itemsSince` and `itemHistory` from the subscription's paid invoices (any order).
 * Unchanged when the invoices show no other items than the current ones. An invoice that
 * cannot be mapped is reported through `reject` and left out.
 */
export function withItemHistory(
  sub: BillingSubscription,
  raw: Stripe.Subscription,
  invoices: readonly PaidInvoice[],
  catalogue: StripeCatalogue,
  reject: Reject,
): BillingSubscription {
  const byStart = new Map<number, BilledPeriod>();
  for (const invoice of invoices) {
    try {
      const period = billedPeriod(invoice, sub.currency, catalogue);
      if (!period) continue;
      // Two invoices for one period (a re-issued one): the newer states what was billed.
      const known = byStart.get(period.from.getTime());
      if (!known || known.created < period.created) byStart.set(period.from.getTime(), period);
    } catch (error) {
      reject('invalid_stripe_invoice', {
        invoice: invoice.id,
        subscription: sub.id,
        error: (error as Error).message,
      });
    }
  }
  const periods = [...byStart.values()].sort((a, b) => a.from.getTime() - b.from.getTime());
  const changes = [
    ...new Set(
      invoices.flatMap((i) => i.lines.filter((l) => l.proration).map((l) => l.start * SECOND)),
    ),
  ].sort((a, b) => a - b);
  const current = currentSignature(raw, catalogue);
  let last = periods.length - 1;
  while (last >= 0 && periods[last]?.signature === current) last -= 1;
  const changed = periods[last];
  if (!changed) return sub;
  const changedFrom = changed.from.getTime();
  const itemsSince =
    changeWithin(changes, changedFrom, changed.to.getTime()) ??
    periods[last + 1]?.from.getTime() ??
    changedFrom;
  // Each period up to the last change, cut where a proration dates a change inside it: from
  // there on, the next period's items were in force.
  const history: ItemPeriod[] = [];
  for (let i = 0; i <= last; i += 1) {
    const period = periods[i] as BilledPeriod;
    const next = periods[i + 1];
    const from = period.from.getTime();
    const end = Math.min(period.to.getTime(), i === last ? itemsSince : Number.POSITIVE_INFINITY);
    const cut =
      i < last && next && next.signature !== period.signature
        ? changeWithin(changes, from, end)
        : undefined;
    // The newest period with other items is empty when its change is undated.
    if ((cut ?? end) <= from) continue;
    history.push({
      from: period.from,
      to: new Date(cut ?? end),
      items: period.items,
      discounts: period.discounts,
    });
    if (cut !== undefined && next) {
      history.push({
        from: new Date(cut),
        to: new Date(end),
        items: next.items,
        discounts: next.discounts,
      });
    }
  }
  return { ...sub, itemsSince: new Date(itemsSince), itemHistory: history };
}
