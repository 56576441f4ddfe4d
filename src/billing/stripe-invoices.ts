import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { isAvoidableRefusal, type StripeReader } from './stripe-reader.js';
import { type BillingInvoice, type InvoiceStatus, invoiceStatuses } from './types.js';

/** Subscriptions whose payment is failing: their invoices date the dunning episode. */
export const isDunning = (sub: Stripe.Subscription): boolean =>
  sub.status === 'past_due' || sub.status === 'unpaid';

const at = (seconds: unknown): Date | undefined =>
  typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000) : undefined;

/**
 * An invoice as the dunning definition reads it. A sent invoice is owed from
 * its `due_date`; one charged automatically from its finalization, when the
 * first charge is attempted. Undefined for one without a known status or date.
 */
export function invoiceFromStripe(invoice: Stripe.Invoice): BillingInvoice | undefined {
  const status = invoice.status as InvoiceStatus | null;
  const createdAt = at(invoice.created);
  if (!status || !invoiceStatuses.includes(status) || !createdAt) return undefined;
  const dueAt = at(invoice.due_date) ?? at(invoice.status_transitions?.finalized_at);
  return dueAt ? { status, createdAt, dueAt } : { status, createdAt };
}

/**
 * Lists the invoices of past-due and unpaid subscriptions, newest first, only
 * as far back as their last paid one (one request for almost every
 * subscription). When Stripe refuses the list (a key without Invoices: Read),
 * it warns once and reads none until `reset` (each full sync asks again):
 * subscriptions are then dated by the end of their paid period.
 */
export class StripeInvoiceReader {
  private refused = false;
  private warned = false;

  constructor(
    private readonly reader: StripeReader,
    private readonly stripe: Stripe,
    private readonly log: Logger,
  ) {}

  /** Asks Stripe again after a refusal. */
  reset(): void {
    this.refused = false;
  }

  /**
   * The invoices of the subscription's current dunning episode (down to its
   * last paid invoice), or undefined when they cannot be read.
   */
  async episodeOf(
    subscriptionId: string,
    signal: AbortSignal,
  ): Promise<BillingInvoice[] | undefined> {
    if (this.refused) return undefined;
    let invoices: Stripe.Invoice[] | undefined;
    try {
      invoices = await this.reader.listUpTo(
        'list',
        'invoices',
        (cursor) => this.stripe.invoices.list({ ...cursor, subscription: subscriptionId }),
        signal,
        Number.POSITIVE_INFINITY,
        (page) => page.some((invoice) => invoice.status === 'paid'),
      );
    } catch (error) {
      if (!isAvoidableRefusal(error)) throw error;
      this.refused = true;
      if (!this.warned) {
        this.warned = true;
        this.log.warn(
          { status: error.statusCode, reason: error.message },
          'Stripe refused the invoices list (403: give the key Invoices: Read): past-due subscriptions are dated by the end of their paid period',
        );
      }
      return undefined;
    }
    if (this.warned) {
      this.warned = false;
      this.log.info(
        'Stripe answers the invoices list again: past-due subscriptions are dated by their invoices',
      );
    }
    return (invoices ?? []).map(invoiceFromStripe).filter((invoice) => invoice !== undefined);
  }
}
