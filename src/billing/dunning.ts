import type { BillingInvoice } from './types.js';

/**
 * When payment first failed in a subscription's current dunning episode: the
 * moment its oldest unpaid invoice was due, counting back from the newest
 * invoice until a paid one (which ended any earlier episode). Drafts were never
 * due and voided invoices are no longer owed, so neither starts nor ends an
 * episode. A new failed renewal therefore does not restart the clock, and an
 * old write-off before a payment does not count against a later failure.
 *
 * Without an unpaid invoice to go by (none given, or the source cannot read
 * them), the end of the paid period: `paidPeriodEnd`, the start of the current
 * billing period (a renewal whose payment fails still starts the period).
 * Undefined when neither is known. Both billing sources call this, so the
 * grace clock means the same whichever one billing reads.
 */
export function paymentFailingSince(
  invoices: readonly BillingInvoice[] | undefined,
  paidPeriodEnd: Date | undefined,
): Date | undefined {
  const newestFirst = [...(invoices ?? [])].sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime(),
  );
  let oldestUnpaid: BillingInvoice | undefined;
  for (const invoice of newestFirst) {
    if (invoice.status === 'paid') break;
    if (invoice.status === 'open' || invoice.status === 'uncollectible') oldestUnpaid = invoice;
  }
  if (!oldestUnpaid) return paidPeriodEnd;
  return oldestUnpaid.dueAt ?? oldestUnpaid.createdAt;
}
