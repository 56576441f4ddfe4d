import { describe, expect, it } from 'vitest';
import {
  addEventChanges,
  changeCount,
  noChanges,
  paidInvoiceOf,
  type StripeChanges,
  watchedEventTypes,
} from './stripe-changes.js';

const changesFrom = (...events: Parameters<typeof addEventChanges>[1][]) => {
  const changes = noChanges();
  const taken = events.map((event) => addEventChanges(changes, event));
  return { changes, taken };
};

const ids = (changes: StripeChanges) => ({
  subscriptions: [...changes.subscriptions],
  customers: [...changes.customers],
  prices: [...changes.prices],
  coupons: [...changes.coupons],
  allPrices: changes.allPrices,
});

describe('addEventChanges', () => {
  it('fits the events list filter: at most 20 distinct types', () => {
    expect(watchedEventTypes.length).toBeLessThanOrEqual(20);
    expect(new Set(watchedEventTypes).size).toBe(watchedEventTypes.length);
  });

  it('names the object of each kind of event in its own list', () => {
    const { changes, taken } = changesFrom(
      { type: 'customer.subscription.updated', data: { object: { id: 'sub_1' } } },
      { type: 'customer.updated', data: { object: { id: 'cus_1' } } },
      { type: 'price.updated', data: { object: { id: 'price_1' } } },
      { type: 'coupon.deleted', data: { object: { id: 'co_1' } } },
    );
    expect(taken).toEqual([true, true, true, true]);
    expect(ids(changes)).toEqual({
      subscriptions: ['sub_1'],
      customers: ['cus_1'],
      prices: ['price_1'],
      coupons: ['co_1'],
      allPrices: false,
    });
  });

  it('fetches the holder of a discount: its customer and, when set, its subscription', () => {
    const { changes } = changesFrom(
      {
        type: 'customer.discount.created',
        data: { object: { id: 'di_1', customer: 'cus_1', subscription: 'sub_9' } },
      },
      {
        type: 'customer.discount.deleted',
        data: { object: { id: 'di_2', customer: { id: 'cus_2' }, subscription: null } },
      },
    );
    expect(ids(changes).customers).toEqual(['cus_1', 'cus_2']);
    expect(ids(changes).subscriptions).toEqual(['sub_9']);
  });

  it('finds the subscription of an invoice in both API shapes', () => {
    const { changes } = changesFrom(
      {
        type: 'invoice.paid',
        data: { object: { parent: { subscription_details: { subscription: 'sub_new' } } } },
      },
      { type: 'invoice.payment_failed', data: { object: { subscription: 'sub_old' } } },
    );
    expect(ids(changes).subscriptions).toEqual(['sub_new', 'sub_old']);
  });

  it('re-lists every price when a product changes', () => {
    const { changes, taken } = changesFrom({
      type: 'product.updated',
      data: { object: { id: 'p' } },
    });
    expect(taken).toEqual([true]);
    expect(changes.allPrices).toBe(true);
    expect(changeCount(changes)).toBe(1);
  });

  it('counts each object once however many events name it', () => {
    const event = { type: 'customer.subscription.updated', data: { object: { id: 'sub_1' } } };
    const { changes } = changesFrom(event, event, {
      ...event,
      type: 'customer.subscription.deleted',
    });
    expect(changeCount(changes)).toBe(1);
  });

  it('takes nothing from events billing does not read, or that name no object', () => {
    const { changes, taken } = changesFrom(
      { type: 'charge.succeeded', data: { object: { id: 'ch_1' } } },
      { type: 'customer.subscription.updated', data: { object: {} } },
      { type: 'customer.subscription.updated', data: null },
      { type: 42 },
      { type: 'invoice.paid', data: { object: { subscription: null } } },
    );
    expect(taken).toEqual([false, false, false, false, false]);
    expect(changeCount(changes)).toBe(0);
  });
});

describe('paidInvoiceOf', () => {
  it('names the invoice of an invoice.paid event, and of no other event', () => {
    expect(paidInvoiceOf({ type: 'invoice.paid', data: { object: { id: 'in_1' } } })).toBe('in_1');
    expect(
      paidInvoiceOf({ type: 'invoice.payment_failed', data: { object: { id: 'in_2' } } }),
    ).toBeUndefined();
    expect(paidInvoiceOf({ type: 'invoice.paid', data: { object: {} } })).toBeUndefined();
    expect(paidInvoiceOf({ type: 'invoice.paid', data: null })).toBeUndefined();
  });
});
