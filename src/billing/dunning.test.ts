import { describe, expect, it } from 'vitest';
import { daysFromNow } from '../../test/fixtures/billing-builders.js';
import { paymentFailingSince } from './dunning.js';
import type { BillingInvoice, InvoiceStatus } from './types.js';

const invoice = (status: InvoiceStatus, createdDaysAgo: number, dueDaysAgo?: number) =>
  ({
    status,
    createdAt: daysFromNow(-createdDaysAgo),
    ...(dueDaysAgo === undefined ? {} : { dueAt: daysFromNow(-dueDaysAgo) }),
  }) satisfies BillingInvoice;

const periodStart = daysFromNow(-3);

describe('paymentFailingSince', () => {
  it('starts at the oldest unpaid invoice after the last paid one, not at the latest', () => {
    // Paid 70 days ago, then three failed renewals: the episode began 40 days ago.
    const invoices = [
      invoice('open', 10),
      invoice('paid', 70),
      invoice('open', 40),
      invoice('uncollectible', 25),
    ];
    expect(paymentFailingSince(invoices, periodStart)).toEqual(daysFromNow(-40));
  });

  it('takes a paid invoice as the end of an earlier episode', () => {
    const invoices = [invoice('uncollectible', 50), invoice('paid', 20), invoice('open', 5)];
    expect(paymentFailingSince(invoices, periodStart)).toEqual(daysFromNow(-5));
  });

  it('neither starts nor ends an episode at a draft or a voided invoice', () => {
    const invoices = [
      invoice('draft', 1),
      invoice('open', 12),
      invoice('void', 30),
      invoice('open', 45),
      invoice('paid', 75),
    ];
    expect(paymentFailingSince(invoices, periodStart)).toEqual(daysFromNow(-45));
  });

  it('dates an invoice by when it was due (a sent invoice is owed from its due date)', () => {
    // Created 40 days ago, due 30 days later: failing for 10 days.
    expect(paymentFailingSince([invoice('open', 40, 10)], periodStart)).toEqual(daysFromNow(-10));
  });

  it('falls back to the end of the paid period without an unpaid invoice, and to nothing without either', () => {
    expect(paymentFailingSince(undefined, periodStart)).toEqual(periodStart);
    expect(paymentFailingSince([], periodStart)).toEqual(periodStart);
    expect(paymentFailingSince([invoice('paid', 2), invoice('void', 9)], periodStart)).toEqual(
      periodStart,
    );
    expect(paymentFailingSince(undefined, undefined)).toBeUndefined();
  });
});
