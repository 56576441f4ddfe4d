import type Stripe from 'stripe';

/**
 * What item history needs of one paid subscription invoice, kept instead of the whole
 * invoice (a year of them for every subscription would not fit in memory otherwise).
 * Paid invoices are immutable, so this never goes stale.
 */
export interface PaidInvoice {
  readonly id: string;
  /** Unix seconds. */
  readonly created: number;
  readonly subscriptionId: string;
  readonly lines: readonly PaidInvoiceLine[];
  /** Invoice-level discounts (the subscription's or the customer's), expanded. */
  readonly discounts: readonly Stripe.Discount[];
}

/** A line billed for a subscription item. */
export interface PaidInvoiceLine {
  readonly priceId: string;
  readonly quantity?: number;
  /** The billed period, Unix seconds, start inclusive, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** A proration line: its period starts at the plan change it prorates. */
  readonly proration: boolean;
  /** Line-level discounts (the item's), expanded. */
  readonly discounts: readonly Stripe.Discount[];
}

const idOf = (ref: unknown): string | undefined => {
  if (typeof ref === 'string') return ref;
  const id = (ref as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
};

const isSeconds = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Expanded discounts only: an id alone (not expanded) cannot be mapped. */
function discountsOf(refs: unknown, where: string): Stripe.Discount[] {
  if (refs === null || refs === undefined) return [];
  if (!Array.isArray(refs)) throw new Error(`${where}: discounts is not a list`);
  return refs.map((ref) => {
    if (typeof ref !== 'object' || ref === null || typeof ref.id !== 'string') {
      throw new Error(`${where}: discount ${String(ref)} is not expanded`);
    }
    return ref as Stripe.Discount;
  });
}

/**
 * The subscription lines of a paid invoice (one-off invoice items are left out), or a
 * message saying what is wrong with it. Undefined for an invoice of no subscription.
 */
export function paidInvoiceFromStripe(invoice: Stripe.Invoice): PaidInvoice | string | undefined {
  const where = `invoice ${String(invoice?.id)}`;
  try {
    if (typeof invoice?.id !== 'string') throw new Error('invoice has no id');
    if (!isSeconds(invoice.created)) throw new Error(`${where}: created is not a Unix timestamp`);
    const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
    if (subscriptionId === undefined) return undefined;
    const lineList = invoice.lines;
    if (!lineList || !Array.isArray(lineList.data)) throw new Error(`${where} has no lines list`);
    // Only the first page of lines is embedded; a partial list would drop items.
    if (lineList.has_more) throw new Error(`${where} has more lines than embedded`);
    const lines: PaidInvoiceLine[] = [];
    for (const line of lineList.data) {
      const details = line?.parent?.subscription_item_details;
      if (!details) continue;
      const lineWhere = `${where} line ${String(line.id)}`;
      const priceId = idOf(line.pricing?.price_details?.price);
      if (priceId === undefined) throw new Error(`${lineWhere} has no price`);
      if (!isSeconds(line.period?.start) || !isSeconds(line.period?.end)) {
        throw new Error(`${lineWhere} has no period`);
      }
      lines.push({
        priceId,
        quantity: typeof line.quantity === 'number' ? line.quantity : undefined,
        start: line.period.start,
        end: line.period.end,
        proration: details.proration === true,
        discounts: discountsOf(line.discounts, lineWhere),
      });
    }
    return {
      id: invoice.id,
      created: invoice.created,
      subscriptionId,
      lines,
      discounts: discountsOf(invoice.discounts, where),
    };
  } catch (error) {
    return (error as Error).message;
  }
}
