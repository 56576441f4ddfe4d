import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import {
  customer,
  invoice,
  invoiceLine,
  price,
  product,
  subscription,
  unix,
} from '../../test/fixtures/stripe-objects.js';
import { withItemHistory } from './stripe-item-history.js';
import { buildCatalogue, subscriptionFromStripe } from './stripe-mapping.js';
import { type PaidInvoice, paidInvoiceFromStripe } from './stripe-paid-invoice.js';
import type { BillingSubscription } from './types.js';

const starter = price({ id: 'p_a', product: product('prod_a'), unitAmount: 1000 });
const pro = price({ id: 'p_b', product: product('prod_b'), unitAmount: 5000 });
const seats = price({ id: 'p_c', product: product('prod_c'), unitAmount: 700 });
const usage = price({
  id: 'p_m',
  product: product('prod_m'),
  unitAmount: 1,
  usageType: 'metered',
});
const catalogue = buildCatalogue({
  prices: [starter, pro, seats, usage],
  coupons: [],
  customers: [customer({ id: 'cus_1' })],
});

const raw = (items: { price: Stripe.Price; quantity?: number }[]) =>
  subscription({ id: 'sub_1', customer: 'cus_1', items, created: unix('2025-01-01T00:00:00Z') });

function mapped(sub: Stripe.Subscription): BillingSubscription {
  const result = subscriptionFromStripe(sub, catalogue, () => {});
  if (!result) throw new Error('fixture does not map');
  return result;
}

/** A paid invoice billing `lines` (price, quantity, period as ISO dates, proration). */
function paid(
  id: string,
  lines: {
    price: Stripe.Price;
    quantity?: number;
    from: string;
    to: string;
    proration?: boolean;
  }[],
): PaidInvoice {
  const result = paidInvoiceFromStripe(
    invoice({
      id,
      customer: 'cus_1',
      subscription: 'sub_1',
      status: 'paid',
      created: unix(lines[0]?.from ?? '2025-01-01T00:00:00Z'),
      lines: lines.map((line, i) =>
        invoiceLine({
          id: `il_${id}_${i}`,
          invoice: id,
          subscription: 'sub_1',
          subscriptionItem: 'si_sub_1_0',
          price: line.price,
          quantity: line.quantity ?? 1,
          amount: 0,
          start: unix(line.from),
          end: unix(line.to),
          proration: line.proration,
        }),
      ),
    }),
  );
  if (typeof result !== 'object') throw new Error(`fixture invoice ${id}: ${String(result)}`);
  return result;
}

function history(current: Stripe.Subscription, invoices: PaidInvoice[]) {
  const rejected: string[] = [];
  const sub = withItemHistory(mapped(current), current, invoices, catalogue, (reason) =>
    rejected.push(reason),
  );
  return {
    rejected,
    itemsSince: sub.itemsSince?.toISOString(),
    periods: (sub.itemHistory ?? []).map((p) => ({
      from: p.from.toISOString(),
      to: p.to.toISOString(),
      items: p.items.map((i) => `${i.price.id}x${i.quantity}`),
    })),
  };
}

const jan = { from: '2025-01-01T00:00:00.000Z', to: '2025-02-01T00:00:00.000Z' };
const feb = { from: '2025-02-01T00:00:00.000Z', to: '2025-03-01T00:00:00.000Z' };
const mar = { from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' };

describe('item history from paid invoices', () => {
  it('leaves a subscription whose invoices all bill its current items as it is', () => {
    const current = raw([{ price: pro, quantity: 2 }]);
    const sub = mapped(current);
    const invoices = [paid('in_1', [{ price: pro, quantity: 2, ...jan }])];
    expect(withItemHistory(sub, current, invoices, catalogue, () => {})).toBe(sub);
  });

  it('dates a change at renewal by the next period start when nothing was prorated', () => {
    const result = history(raw([{ price: pro, quantity: 2 }]), [
      paid('in_1', [{ price: starter, ...jan }]),
      paid('in_2', [{ price: pro, quantity: 2, ...feb }]),
    ]);
    expect(result.itemsSince).toBe(feb.from);
    expect(result.periods).toEqual([{ ...jan, items: ['p_ax1'] }]);
  });

  it('sees a quantity change alone as a change', () => {
    const result = history(raw([{ price: pro, quantity: 5 }]), [
      paid('in_1', [{ price: pro, quantity: 2, ...jan }]),
      paid('in_2', [{ price: pro, quantity: 5, ...feb }]),
    ]);
    expect(result.itemsSince).toBe(feb.from);
  });

  it('takes the current items for the whole newest period when no invoice dates the change yet', () => {
    const result = history(raw([{ price: pro }]), [
      paid('in_1', [{ price: starter, ...jan }]),
      paid('in_2', [{ price: starter, ...feb }]),
    ]);
    expect(result.itemsSince).toBe(feb.from);
    expect(result.periods).toEqual([{ ...jan, items: ['p_ax1'] }]);
  });

  it('cuts each period where a proration dates a change inside it', () => {
    // starter → seats x3 on 15 January, seats x3 → pro on 20 February (the current items).
    const result = history(raw([{ price: pro }]), [
      paid('in_1', [{ price: starter, ...jan }]),
      paid('in_2', [
        { price: seats, quantity: 3, ...feb },
        { price: seats, quantity: 3, from: '2025-01-15T00:00:00Z', to: jan.to, proration: true },
      ]),
      paid('in_3', [
        { price: pro, ...mar },
        { price: pro, from: '2025-02-20T00:00:00Z', to: feb.to, proration: true },
      ]),
    ]);
    expect(result.itemsSince).toBe('2025-02-20T00:00:00.000Z');
    expect(result.periods).toEqual([
      { from: jan.from, to: '2025-01-15T00:00:00.000Z', items: ['p_ax1'] },
      { from: '2025-01-15T00:00:00.000Z', to: jan.to, items: ['p_cx3'] },
      { from: feb.from, to: '2025-02-20T00:00:00.000Z', items: ['p_cx3'] },
    ]);
  });

  it('ignores metered lines (billed in arrears, never in MRR) when comparing', () => {
    const current = raw([{ price: pro }, { price: usage }]);
    const sub = mapped(current);
    const invoices = [
      paid('in_1', [
        { price: pro, ...jan },
        { price: usage, quantity: 1234, from: '2024-12-01T00:00:00Z', to: jan.from },
      ]),
    ];
    expect(withItemHistory(sub, current, invoices, catalogue, () => {})).toBe(sub);
  });

  it('reports and leaves out an invoice whose price is unknown, and uses the others', () => {
    const gone = price({ id: 'p_gone', product: product('prod_gone'), unitAmount: 1 });
    const result = history(raw([{ price: pro }]), [
      paid('in_0', [{ price: gone, from: '2024-12-01T00:00:00Z', to: jan.from }]),
      paid('in_1', [{ price: starter, ...jan }]),
      paid('in_2', [{ price: pro, ...feb }]),
    ]);
    expect(result.rejected).toEqual(['invalid_stripe_invoice']);
    expect(result.itemsSince).toBe(feb.from);
    expect(result.periods).toEqual([{ ...jan, items: ['p_ax1'] }]);
  });
});

describe('paid invoices as kept', () => {
  const base = { id: 'in_x', customer: 'cus_1', status: 'paid', created: 1 } as const;
  const line = invoiceLine({
    id: 'il_1',
    invoice: 'in_x',
    subscription: 'sub_1',
    subscriptionItem: 'si_1',
    price: pro,
    quantity: 1,
    amount: 5000,
    start: 1,
    end: 2,
  });

  it('keeps subscription lines, drops one-off invoice items, and skips invoices of no subscription', () => {
    const oneOff: Stripe.InvoiceLineItem = {
      ...line,
      id: 'il_2',
      parent: {
        invoice_item_details: {
          invoice_item: 'ii_1',
          proration: false,
          proration_details: null,
          subscription: null,
        },
        subscription_item_details: null,
        type: 'invoice_item_details',
      },
    };
    const kept = paidInvoiceFromStripe(
      invoice({ ...base, subscription: 'sub_1', lines: [line, oneOff] }),
    );
    expect(typeof kept === 'object' && kept.lines.map((l) => l.priceId)).toEqual(['p_b']);
    expect(paidInvoiceFromStripe(invoice({ ...base, lines: [line] }))).toBeUndefined();
  });

  it('says what is wrong with an invoice it cannot use', () => {
    const partial = invoice({ ...base, subscription: 'sub_1', lines: [line] });
    expect(paidInvoiceFromStripe({ ...partial, lines: { ...partial.lines, has_more: true } })).toBe(
      'invoice in_x has more lines than embedded',
    );
    const collapsed = invoice({ ...base, subscription: 'sub_1', lines: [line] });
    expect(
      paidInvoiceFromStripe({ ...collapsed, discounts: ['di_1'] as unknown as Stripe.Discount[] }),
    ).toBe('invoice in_x: discount di_1 is not expanded');
  });
});
