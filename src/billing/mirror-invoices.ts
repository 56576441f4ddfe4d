import { type BillingInvoice, type InvoiceStatus, invoiceStatuses } from './types.js';

type Row = Record<string, unknown>;

const date = (value: unknown): Date | undefined => {
  if (value === null || value === undefined) return undefined;
  const parsed = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
};

/**
 * Groups the rows of the mirror's `invoices` query by subscription. A row the
 * dunning date cannot be read from (unknown status, no creation time) is
 * handed to `fail` with its subscription, which is then left out: a guessed
 * date would move the grace clock silently.
 */
export function invoicesBySubscription(
  rows: readonly Row[],
  fail: (subscription: string, error: Error) => void,
): Map<string, BillingInvoice[]> {
  const bySubscription = new Map<string, BillingInvoice[]>();
  for (const row of rows) {
    const subscription = String(row.subscription_id);
    const where = `billing invoice of ${subscription}`;
    const status = String(row.status) as InvoiceStatus;
    if (!invoiceStatuses.includes(status)) {
      fail(
        subscription,
        new Error(`${where}: status "${status}" is not one of ${invoiceStatuses.join(', ')}`),
      );
      continue;
    }
    const createdAt = date(row.created_at);
    if (!createdAt) {
      fail(subscription, new Error(`${where}: created_at is missing or not a time`));
      continue;
    }
    const dueAt = date(row.due_at);
    const invoice: BillingInvoice = dueAt ? { status, createdAt, dueAt } : { status, createdAt };
    bySubscription.set(subscription, [...(bySubscription.get(subscription) ?? []), invoice]);
  }
  return bySubscription;
}
