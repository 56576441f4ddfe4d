import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Reject } from '../shared/reject.js';
import { throwIfAborted } from './abortable.js';
import { withItemHistory } from './stripe-item-history.js';
import type { StripeCatalogue } from './stripe-mapping.js';
import { type PaidInvoice, paidInvoiceFromStripe } from './stripe-paid-invoice.js';
import { isAvoidableRefusal, type StripeReader, StripeSourceError } from './stripe-reader.js';
import type { BillingSubscription } from './types.js';

/**
 * Reads the account's paid invoices once, then only the new ones, to rebuild the items each
 * subscription had in past billing periods (`withItemHistory`).
 *
 * One account-wide list, `GET /v1/invoices?status=paid&created[gte]=…`, 100 a page, newest
 * first, with the invoice's and its lines' discounts expanded (prices and coupons come from the
 * catalogue lists). The first read goes back to `since` minus 32 days, so the invoice of a
 * monthly period that covers `since` is in it; an earlier `since` later reads only the stretch
 * before what was read. Paid invoices are immutable, so each is kept (compactly) by id and
 * never read again; each round lists only invoices created since the previous list, less a
 * lag: Stripe finalizes a renewal invoice about an hour after creating it and charges it then.
 * An invoice paid later than that (payment retried during dunning, a sent invoice paid at its
 * due date) is not in those lists: its `invoice.paid` event (polled or delivered by webhook)
 * names it (`notePaid`) and the next round retrieves it by id.
 */

/** How far before `since` invoices are read: a monthly period covering `since` began by then. */
export const invoiceLookbackSeconds = 32 * 24 * 60 * 60;
/** Each round lists again the invoices created this long before the previous list. */
export const paymentLagSeconds = 3 * 60 * 60;

/** 4 levels at most counting `data` (Stripe's limit): coupons of line discounts come from the catalogue. */
const expand = ['data.discounts', 'data.discounts.source.coupon', 'data.lines.data.discounts'];
/** The same paths on one invoice retrieved by id. */
const expandOne = expand.map((path) => path.slice('data.'.length));

export interface StripeInvoiceHistoryOptions {
  /** The clock, ms. */
  readonly now: () => number;
  /** After a refusal, the list is asked for again this much later, ms. */
  readonly retryRefusedMs: number;
}

export class StripeInvoiceHistory {
  private readonly invoices = new Map<string, PaidInvoice>();
  /** Invoices that cannot be used, with why: reported with every snapshot, as bad subscriptions are. */
  private readonly unusable = new Map<string, string>();
  /** Unix seconds: invoices created from here on have been read. */
  private readFrom: number | undefined;
  /** Unix seconds: the next round lists invoices created from here on. */
  private newFrom = 0;
  private refusedAtMs: number | undefined;
  /** Invoices paid since they were listed (or after the lists' window): retrieved next round. */
  private readonly paidLate = new Set<string>();

  constructor(
    private readonly reader: StripeReader,
    private readonly stripe: Stripe,
    private readonly log: Logger,
    private readonly options: StripeInvoiceHistoryOptions,
  ) {}

  /**
   * An invoice an `invoice.paid` event names. Before the first read nothing is noted: that
   * read lists it if it is in range. Kept until a round retrieves it, so a failed round loses
   * none.
   */
  notePaid(id: string): void {
    if (this.readFrom === undefined || this.invoices.has(id) || this.unusable.has(id)) return;
    this.paidLate.add(id);
  }

  /**
   * Reads what `since` needs and is not read yet. A refusal (a key without Invoices: Read) or
   * a failure past the retries leaves the history as it was, with a warning: billing then
   * computes past instants on the current items (`current_items` basis), never fails for it.
   * A rejected key (401) and an abort fail the round as any other request would.
   */
  async refresh(since: Date, signal: AbortSignal): Promise<void> {
    const now = this.options.now();
    if (this.refusedAtMs !== undefined && now - this.refusedAtMs < this.options.retryRefusedMs) {
      return;
    }
    const wantFrom = Math.floor(since.getTime() / 1000) - invoiceLookbackSeconds;
    const listedAt = Math.floor(now / 1000);
    try {
      if (this.readFrom === undefined) {
        await this.list({ gte: wantFrom }, signal);
        this.readFrom = wantFrom;
      } else {
        if (wantFrom < this.readFrom) {
          await this.list({ gte: wantFrom, lt: this.readFrom }, signal);
          this.readFrom = wantFrom;
        }
        await this.list({ gte: Math.max(this.newFrom, this.readFrom) }, signal);
      }
      this.newFrom = listedAt - paymentLagSeconds;
      await this.retrievePaidLate(signal);
    } catch (error) {
      throwIfAborted(signal);
      if (error instanceof StripeSourceError && error.statusCode === 401) throw error;
      const refused = isAvoidableRefusal(error);
      // One warning per refusal, however many retries it lasts.
      const warned = refused && this.refusedAtMs !== undefined;
      if (refused) this.refusedAtMs = now;
      if (warned) return;
      this.log.warn(
        { reason: (error as Error).message },
        refused
          ? 'Stripe refused the paid invoices list (403: give the key Invoices: Read): past instants are computed on the current items'
          : 'could not read the paid invoices: past instants use the item history read so far',
      );
      return;
    }
    if (this.refusedAtMs !== undefined) {
      this.refusedAtMs = undefined;
      this.log.info('Stripe answers the paid invoices list again');
    }
  }

  private async list(created: { gte: number; lt?: number }, signal: AbortSignal): Promise<void> {
    const listed = await this.reader.listAll(
      'list',
      'invoices',
      (cursor) => this.stripe.invoices.list({ ...cursor, status: 'paid', created, expand }),
      signal,
    );
    for (const invoice of listed) this.keep(invoice);
    this.log.debug(
      { created, listed: listed.length, kept: this.invoices.size },
      'paid invoices read',
    );
  }

  /** Each noted invoice by id; one that failed stays noted for the next round. */
  private async retrievePaidLate(signal: AbortSignal): Promise<void> {
    for (const id of [...this.paidLate]) {
      const invoice = await this.reader.retrieve(
        'invoice',
        id,
        () => this.stripe.invoices.retrieve(id, { expand: expandOne }),
        signal,
      );
      this.paidLate.delete(id);
      // Gone (404), or not paid after all (the event was older than a refund or a void): nothing to keep.
      if (invoice?.status === 'paid') this.keep(invoice);
    }
  }

  private keep(invoice: Stripe.Invoice): void {
    this.paidLate.delete(invoice.id);
    if (this.invoices.has(invoice.id)) return;
    const paid = paidInvoiceFromStripe(invoice);
    if (typeof paid === 'string') this.unusable.set(invoice.id, paid);
    else if (paid) this.invoices.set(paid.id, paid);
  }

  /** Mapped subscriptions with the item history their paid invoices show. */
  apply(
    subscriptions: readonly BillingSubscription[],
    raw: ReadonlyMap<string, Stripe.Subscription>,
    catalogue: StripeCatalogue,
    reject: Reject,
  ): BillingSubscription[] {
    for (const [invoice, error] of this.unusable)
      reject('invalid_stripe_invoice', { invoice, error });
    const bySubscription = new Map<string, PaidInvoice[]>();
    for (const invoice of this.invoices.values()) {
      const list = bySubscription.get(invoice.subscriptionId) ?? [];
      list.push(invoice);
      bySubscription.set(invoice.subscriptionId, list);
    }
    return subscriptions.map((sub) => {
      const invoices = bySubscription.get(sub.id);
      const stripeSub = raw.get(sub.id);
      return invoices && stripeSub
        ? withItemHistory(sub, stripeSub, invoices, catalogue, reject)
        : sub;
    });
  }
}
