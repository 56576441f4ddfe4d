import { describe, expect, it } from 'vitest';
import {
  customer,
  daysFromNow,
  discount,
  item,
  mrrRecord,
  NOW,
  policy,
  price,
  snapshot,
  subscription,
} from '../../test/fixtures/billing-builders.js';
import { computeTotals, customerMrrAt, customersPayingBefore } from './aggregate.js';
import type { TierMapping } from './tiers.js';
import type { BillingPrice } from './types.js';

const defaults = policy();
const tierMapping: TierMapping = { tiers: ['starter', 'professional', 'enterprise'], byId: {} };
const channels = ['organic', 'paid', 'referral'];

const starter = (unitAmount = 1000): BillingPrice =>
  price({
    id: `price_starter_${unitAmount}`,
    productId: 'prod_starter',
    tier: 'starter',
    unitAmount,
  });
const professional = (unitAmount = 5000): BillingPrice =>
  price({
    id: `price_pro_${unitAmount}`,
    productId: 'prod_pro',
    lookupKey: 'professional_monthly',
    unitAmount,
  });
const enterprise = (unitAmount: number): BillingPrice =>
  price({ id: `price_ent_${unitAmount}`, productId: 'prod_ent', tier: 'enterprise', unitAmount });

const totals = (
  subs: Parameters<typeof snapshot>[0],
  customers: Parameters<typeof snapshot>[1] = [],
  p = defaults,
) => computeTotals(snapshot(subs, customers), NOW, p, tierMapping, channels);

describe('computeTotals: byTier', () => {
  it('keys MRR by tier|currency, with the currency lower-cased', () => {
    const t = totals([
      subscription({ customerId: 'c1', items: [item({ price: starter(1000) })] }),
      subscription({ customerId: 'c2', items: [item({ price: professional(5000) })] }),
      subscription({
        customerId: 'c3',
        currency: 'EUR',
        items: [item({ price: professional(4000) })],
      }),
      subscription({
        customerId: 'c4',
        currency: 'jpy',
        items: [item({ price: enterprise(100000) })],
      }),
      subscription({ customerId: 'c5', items: [item({ price: price({ id: 'price_addon' }) })] }),
    ]);
    expect(Object.fromEntries(t.byTier)).toEqual({
      'starter|usd': 1000,
      'professional|usd': 5000,
      'professional|eur': 4000,
      'enterprise|jpy': 100000,
      // an unknown price is `other`: 1 x 1000
      'other|usd': 1000,
    });
  });

  it('adds items of several subscriptions in the same tier: 2 x 1000 + 3 x 1000 = 5000', () => {
    const t = totals([
      subscription({ customerId: 'c1', items: [item({ price: starter(), quantity: 2 })] }),
      subscription({ customerId: 'c2', items: [item({ price: starter(), quantity: 3 })] }),
    ]);
    expect(t.byTier.get('starter|usd')).toBe(5000);
  });

  it('splits a subscription amount off between the tiers of its items in proportion', () => {
    const t = totals([
      subscription({
        items: [item({ price: starter(3000) }), item({ price: professional(1000) })],
        discounts: [discount({ amountOff: 2000 })],
      }),
    ]);
    // (3000 + 1000) - 2000 = 2000; starter 3000/4000 → 1500, professional 1000/4000 → 500
    expect(t.byTier.get('starter|usd')).toBeCloseTo(1500, 9);
    expect(t.byTier.get('professional|usd')).toBeCloseTo(500, 9);
  });

  it('leaves out subscriptions that do not count and items worth nothing', () => {
    const t = totals([
      subscription({
        status: 'trialing',
        trialEnd: daysFromNow(5),
        items: [item({ price: starter() })],
      }),
      subscription({
        status: 'past_due',
        pastDueSince: daysFromNow(-45),
        items: [item({ price: starter() })],
      }),
      subscription({
        items: [item({ price: professional() })],
        discounts: [discount({ percentOff: 100 })],
      }),
    ]);
    expect(t.byTier.size).toBe(0);
    expect(t.byChannel.size).toBe(0);
    expect(t.byCustomer.size).toBe(0);
  });

  it("counts a scheduled cancellation under 'period_end' but not under 'at_request'", () => {
    const subs = [subscription({ cancelAtPeriodEnd: true, items: [item({ price: starter() })] })];
    expect(totals(subs).byTier.get('starter|usd')).toBe(1000);
    expect(totals(subs, [], policy({ churnRecognition: 'at_request' })).byTier.size).toBe(0);
  });
});

describe('computeTotals: byChannel', () => {
  it('maps customer channels onto the vocabulary (trimmed, case-insensitive), anything else to other', () => {
    const subs = [
      subscription({ customerId: 'c_paid', items: [item({ quantity: 1 })] }),
      subscription({ customerId: 'c_organic', items: [item({ quantity: 2 })] }),
      subscription({ customerId: 'c_tiktok', items: [item({ quantity: 3 })] }),
      subscription({ customerId: 'c_none', items: [item({ quantity: 4 })] }),
      subscription({ customerId: 'c_unknown_customer', items: [item({ quantity: 5 })] }),
      subscription({ customerId: 'c_organic', currency: 'eur', items: [item({ quantity: 6 })] }),
    ];
    const t = totals(subs, [
      customer('c_paid', ' Paid '),
      customer('c_organic', 'organic'),
      customer('c_tiktok', 'tiktok'),
      customer('c_none'),
    ]);
    expect(Object.fromEntries(t.byChannel)).toEqual({
      // 1 x 1000
      'paid|usd': 1000,
      // 2 x 1000
      'organic|usd': 2000,
      // 6 x 1000 in eur
      'organic|eur': 6000,
      // tiktok 3000 + no channel 4000 + customer missing from the list 5000 = 12000
      'other|usd': 12000,
    });
  });

  // BUG (aggregate.ts, computeTotals): the raw channel is lower-cased but the vocabulary
  // is not, so a configured channel spelled with capitals (labels.channels: [LinkedIn])
  // never matches and its revenue lands in `other`, while the marketing-spend collector
  // (boundLabel) maps the same raw value onto `LinkedIn`.
  it('maps onto a channel vocabulary spelled with capitals', () => {
    const t = computeTotals(
      snapshot([subscription({ customerId: 'c1' })], [customer('c1', 'LinkedIn')]),
      NOW,
      defaults,
      tierMapping,
      ['LinkedIn'],
    );
    expect(t.byChannel.get('LinkedIn|usd')).toBe(1000);
  });
});

describe('computeTotals: committed', () => {
  it('excludes scheduled cancellations: 1000 + 2000 counted, 4000 scheduled', () => {
    const t = totals([
      subscription({ customerId: 'c1', items: [item({ price: starter(1000) })] }),
      subscription({ customerId: 'c2', items: [item({ price: starter(2000) })] }),
      subscription({
        customerId: 'c3',
        cancelAtPeriodEnd: true,
        canceledAt: daysFromNow(-2),
        items: [item({ price: starter(4000) })],
      }),
      subscription({
        customerId: 'c4',
        cancelAt: daysFromNow(10),
        items: [item({ price: starter(8000) })],
      }),
    ]);
    // MRR under period_end: 1000 + 2000 + 4000 + 8000 = 15000; committed 1000 + 2000 = 3000
    expect(t.byTier.get('starter|usd')).toBe(15000);
    expect(Object.fromEntries(t.committed)).toEqual({ usd: 3000 });
  });

  it('is keyed by lower-cased currency and applies discounts', () => {
    const t = totals([
      subscription({ currency: 'EUR', discounts: [discount({ percentOff: 10 })] }),
    ]);
    // 1000 x 0.9 = 900
    expect(t.committed.get('eur')).toBeCloseTo(900, 9);
  });
});

describe('computeTotals: customers and statuses', () => {
  it('counts paying customers per currency, a customer with two subscriptions once', () => {
    const t = totals([
      subscription({ customerId: 'c1' }),
      subscription({ customerId: 'c1' }),
      subscription({ customerId: 'c2' }),
      subscription({ customerId: 'c2', currency: 'eur' }),
      subscription({ customerId: 'c3', status: 'trialing', trialEnd: daysFromNow(3) }),
      subscription({ customerId: 'c4', discounts: [discount({ percentOff: 100 })] }),
    ]);
    // usd: c1, c2 (c3 trialing, c4 at 0); eur: c2
    expect(Object.fromEntries(t.customersByCurrency)).toEqual({ usd: 2, eur: 1 });
    // c1: 1000 + 1000
    expect(mrrRecord(t.byCustomer)).toEqual({ c1: { usd: 2000 }, c2: { usd: 1000, eur: 1000 } });
  });

  it('counts subscriptions of every status, counted in MRR or not', () => {
    const t = totals([
      subscription({ status: 'active' }),
      subscription({ status: 'active' }),
      subscription({ status: 'trialing' }),
      subscription({ status: 'past_due', pastDueSince: daysFromNow(-90) }),
      subscription({ status: 'canceled', endedAt: daysFromNow(-10) }),
      subscription({ status: 'canceled', endedAt: daysFromNow(-20) }),
      subscription({ status: 'canceled', endedAt: daysFromNow(-30) }),
      subscription({ status: 'incomplete' }),
      subscription({ status: 'incomplete_expired' }),
      subscription({ status: 'unpaid' }),
      subscription({ status: 'paused' }),
    ]);
    expect(Object.fromEntries(t.subscriptionsByStatus)).toEqual({
      active: 2,
      trialing: 1,
      past_due: 1,
      canceled: 3,
      incomplete: 1,
      incomplete_expired: 1,
      unpaid: 1,
      paused: 1,
    });
  });

  it('byTier adds up to byCustomer per currency', () => {
    const t = totals([
      subscription({
        customerId: 'c1',
        items: [item({ price: starter(1234) }), item({ price: professional(999) })],
      }),
      subscription({
        customerId: 'c2',
        items: [item({ price: enterprise(7000) })],
        discounts: [discount({ amountOff: 500 })],
      }),
      subscription({ customerId: 'c3', currency: 'eur', items: [item({ price: starter(300) })] }),
    ]);
    const tierSum = (currency: string) =>
      [...t.byTier].filter(([k]) => k.endsWith(`|${currency}`)).reduce((s, [, v]) => s + v, 0);
    const customerSum = (currency: string) =>
      [...t.byCustomer.values()].reduce((s, m) => s + (m.get(currency) ?? 0), 0);
    // usd: 1234 + 999 + (7000 - 500) = 8733; eur: 300
    expect(tierSum('usd')).toBeCloseTo(8733, 9);
    expect(customerSum('usd')).toBeCloseTo(8733, 9);
    expect(tierSum('eur')).toBeCloseTo(300, 9);
    expect(customerSum('eur')).toBeCloseTo(300, 9);
  });
});

describe('customerMrrAt', () => {
  it('holds only customers with MRR above zero, summed per lower-cased currency', () => {
    const mrr = customerMrrAt(
      snapshot([
        subscription({ customerId: 'c1', currency: 'USD' }),
        subscription({ customerId: 'c1', currency: 'usd', items: [item({ quantity: 2 })] }),
        subscription({ customerId: 'c2', status: 'incomplete' }),
        subscription({ customerId: 'c3', discounts: [discount({ percentOff: 100 })] }),
      ]),
      NOW,
      defaults,
    );
    // c1: 1000 + 2 x 1000 = 3000
    expect(mrrRecord(mrr)).toEqual({ c1: { usd: 3000 } });
  });

  it('reconstructs a past moment from timestamps', () => {
    const snap = snapshot([
      // started 10 days ago: not there 20 days ago
      subscription({ customerId: 'c_new', startedAt: daysFromNow(-10) }),
      // ended 5 days ago: there 20 days ago
      subscription({ customerId: 'c_gone', status: 'canceled', endedAt: daysFromNow(-5) }),
    ]);
    expect(mrrRecord(customerMrrAt(snap, daysFromNow(-20), defaults))).toEqual({
      c_gone: { usd: 1000 },
    });
    expect(mrrRecord(customerMrrAt(snap, NOW, defaults))).toEqual({ c_new: { usd: 1000 } });
  });
});

describe('customersPayingBefore', () => {
  const before = daysFromNow(-15);

  it('holds a customer paying since before the moment', () => {
    const snap = snapshot([subscription({ customerId: 'c1', startedAt: daysFromNow(-100) })]);
    expect([...customersPayingBefore(snap, before)]).toEqual(['c1']);
  });

  it('holds a customer who churned and came back', () => {
    const snap = snapshot([
      subscription({
        customerId: 'c_back',
        status: 'canceled',
        startedAt: daysFromNow(-200),
        endedAt: daysFromNow(-100),
      }),
      subscription({ customerId: 'c_back', startedAt: daysFromNow(-3) }),
    ]);
    expect(customersPayingBefore(snap, before).has('c_back')).toBe(true);
  });

  it('holds a customer whose trial converted before the moment', () => {
    const snap = snapshot([
      subscription({ customerId: 'c1', startedAt: daysFromNow(-40), trialEnd: daysFromNow(-26) }),
    ]);
    expect(customersPayingBefore(snap, before).has('c1')).toBe(true);
  });

  it.each([
    [
      'whose only subscription is still trialing',
      subscription({
        customerId: 'c',
        status: 'trialing',
        startedAt: daysFromNow(-20),
        trialEnd: daysFromNow(5),
      }),
    ],
    [
      'whose trial converts only after the moment',
      subscription({ customerId: 'c', startedAt: daysFromNow(-20), trialEnd: daysFromNow(-10) }),
    ],
    ['with an incomplete subscription', subscription({ customerId: 'c', status: 'incomplete' })],
    [
      'with an incomplete_expired subscription',
      subscription({ customerId: 'c', status: 'incomplete_expired' }),
    ],
    ['who started after the moment', subscription({ customerId: 'c', startedAt: daysFromNow(-2) })],
    [
      'who cancelled during the trial',
      subscription({
        customerId: 'c',
        status: 'canceled',
        startedAt: daysFromNow(-60),
        trialEnd: daysFromNow(-46),
        endedAt: daysFromNow(-50),
      }),
    ],
  ])('leaves out a customer %s', (_, sub) => {
    expect(customersPayingBefore(snapshot([sub]), before).has('c')).toBe(false);
  });

  // BUG (aggregate.ts, customersPayingBefore): Stripe only puts a subscription in `paused`
  // when its trial ended without a payment method, so it never paid; the function only
  // skips incomplete statuses, so this customer is in the set and, if they later pay, is
  // counted as a reactivation instead of new.
  it('leaves out a customer whose trial ended into paused without paying', () => {
    const sub = subscription({
      customerId: 'c',
      status: 'paused',
      startedAt: daysFromNow(-60),
      trialEnd: daysFromNow(-46),
    });
    expect(customersPayingBefore(snapshot([sub]), before).has('c')).toBe(false);
  });
});
