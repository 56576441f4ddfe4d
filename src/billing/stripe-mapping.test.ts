import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import {
  coupon,
  customer,
  discount,
  invoice,
  price,
  product,
  subscription,
  unix,
} from '../../test/fixtures/stripe-objects.js';
import { invoiceFromStripe } from './stripe-invoices.js';
import {
  buildCatalogue,
  customerFromStripe,
  type StripeCatalogue,
  subscriptionFromStripe,
} from './stripe-mapping.js';
import type { BillingSubscription } from './types.js';

const starter = product('prod_starter', { tier: 'starter' });
const pro = product('prod_pro', { tier: 'professional' });
const starterMonthly = price({ id: 'price_starter', product: starter, unitAmount: 1500 });

/** A price as a subscription item embeds it: product as an id, no tiers, no currency options. */
function embedded(p: Stripe.Price): Stripe.Price {
  const productId = typeof p.product === 'string' ? p.product : p.product.id;
  return { ...p, product: productId, tiers: undefined, currency_options: undefined };
}

const emptyCatalogue: StripeCatalogue = buildCatalogue({ prices: [], coupons: [], customers: [] });

/** Maps and collects rejections; fails the test on an unexpected rejection via the return. */
function map(sub: Stripe.Subscription, catalogue = emptyCatalogue) {
  const rejected: { reason: string; detail: Record<string, unknown> }[] = [];
  const mapped = subscriptionFromStripe(sub, catalogue, (reason, detail) =>
    rejected.push({ reason, detail }),
  );
  return { mapped, rejected };
}

function mapOk(sub: Stripe.Subscription, catalogue = emptyCatalogue): BillingSubscription {
  const { mapped, rejected } = map(sub, catalogue);
  expect(rejected).toEqual([]);
  if (!mapped) throw new Error('not mapped');
  return mapped;
}

describe('subscriptionFromStripe: the subscription', () => {
  it('maps status, lower-case currency and every timestamp', () => {
    const mapped = mapOk(
      subscription({
        id: 'sub_1',
        customer: 'cus_1',
        status: 'canceled',
        currency: 'USD',
        startDate: unix('2025-03-01T00:00:00Z'),
        trialEnd: unix('2025-03-15T00:00:00Z'),
        cancelAtPeriodEnd: true,
        cancelAt: unix('2025-06-01T00:00:00Z'),
        canceledAt: unix('2025-05-10T00:00:00Z'),
        endedAt: unix('2025-06-01T00:00:00Z'),
        items: [{ price: embedded(starterMonthly), quantity: 2 }],
      }),
    );
    expect(mapped).toMatchObject({
      id: 'sub_1',
      customerId: 'cus_1',
      status: 'canceled',
      currency: 'usd',
      startedAt: new Date('2025-03-01T00:00:00Z'),
      trialEnd: new Date('2025-03-15T00:00:00Z'),
      cancelAtPeriodEnd: true,
      cancelAt: new Date('2025-06-01T00:00:00Z'),
      canceledAt: new Date('2025-05-10T00:00:00Z'),
      endedAt: new Date('2025-06-01T00:00:00Z'),
      pastDueSince: undefined,
      discounts: [],
    });
    expect(mapped.items).toHaveLength(1);
    expect(mapped.items[0]?.quantity).toBe(2);
  });

  it('dates past_due and unpaid by their dunning invoices, else by the end of the paid period, and only those', () => {
    const periodStart = unix('2026-05-01T00:00:00Z');
    const base = {
      customer: 'cus_1',
      items: [{ price: embedded(starterMonthly) }],
      currentPeriodStart: periodStart,
    };
    // Failing since 20 May: the renewal of 1 June failing too does not restart the clock.
    const episode = [
      invoiceFromStripe(
        invoice({ id: 'in_2', customer: 'cus_1', created: unix('2026-06-01T00:00:00Z') }),
      ),
      invoiceFromStripe(
        invoice({ id: 'in_1', customer: 'cus_1', created: unix('2026-05-20T08:00:00Z') }),
      ),
    ].filter((i) => i !== undefined);
    const catalogue = buildCatalogue({
      prices: [],
      coupons: [],
      customers: [],
      invoices: new Map([
        ['sub_pd', episode],
        ['sub_up', episode],
        ['sub_ac', episode],
      ]),
    });
    const mapWith = (spec: Partial<Parameters<typeof subscription>[0]> & { id: string }) =>
      mapOk(subscription({ ...base, ...spec }), catalogue);
    expect(mapWith({ id: 'sub_pd', status: 'past_due' }).pastDueSince).toEqual(
      new Date('2026-05-20T08:00:00Z'),
    );
    expect(mapWith({ id: 'sub_up', status: 'unpaid' }).pastDueSince).toEqual(
      new Date('2026-05-20T08:00:00Z'),
    );
    expect(mapWith({ id: 'sub_ac', status: 'active' }).pastDueSince).toBeUndefined();
    // No invoices read for it: the start of its current period, where the paid one ended.
    expect(mapWith({ id: 'sub_none', status: 'past_due' }).pastDueSince).toEqual(
      new Date(periodStart * 1000),
    );
  });

  it('reads an invoice as due from its due date (sent) or its finalization (charged automatically)', () => {
    const created = unix('2026-05-01T00:00:00Z');
    const sent = invoiceFromStripe(
      invoice({ id: 'in_s', customer: 'c', created, dueDate: unix('2026-05-31T00:00:00Z') }),
    );
    const charged = invoiceFromStripe(
      invoice({ id: 'in_c', customer: 'c', created, finalizedAt: unix('2026-05-01T01:00:00Z') }),
    );
    const draft = invoiceFromStripe(
      invoice({ id: 'in_d', customer: 'c', created, status: 'draft' }),
    );
    expect(sent).toEqual({
      status: 'open',
      createdAt: new Date('2026-05-01T00:00:00Z'),
      dueAt: new Date('2026-05-31T00:00:00Z'),
    });
    expect(charged?.dueAt).toEqual(new Date('2026-05-01T01:00:00Z'));
    expect(draft).toEqual({ status: 'draft', createdAt: new Date('2026-05-01T00:00:00Z') });
  });

  it('takes the customer id from an expanded customer too', () => {
    const sub = subscription({
      id: 'sub_1',
      customer: 'cus_x',
      items: [{ price: embedded(starterMonthly) }],
    });
    expect(mapOk({ ...sub, customer: customer({ id: 'cus_x' }) }).customerId).toBe('cus_x');
  });
});

describe('subscriptionFromStripe: prices', () => {
  it('prefers unit_amount_decimal (a Stripe Decimal or a string) over the rounded unit_amount', () => {
    const fractional = price({
      id: 'price_f',
      product: starter,
      unitAmount: 1501,
      unitAmountDecimal: '1500.5',
    });
    const fromDecimal = mapOk(
      subscription({ id: 's1', customer: 'c', items: [{ price: fractional }] }),
    );
    const asString = {
      ...fractional,
      unit_amount_decimal: '1500.5' as unknown as Stripe.Decimal,
    };
    const fromString = mapOk(
      subscription({ id: 's2', customer: 'c', items: [{ price: asString }] }),
    );
    const integerOnly = { ...fractional, unit_amount_decimal: null };
    const fromInteger = mapOk(
      subscription({ id: 's3', customer: 'c', items: [{ price: integerOnly }] }),
    );
    expect(fromDecimal.items[0]?.price.unitAmount).toBe(1500.5);
    expect(fromString.items[0]?.price.unitAmount).toBe(1500.5);
    expect(fromInteger.items[0]?.price.unitAmount).toBe(1501);
  });

  it('maps interval, count, usage type, lookup key and transform_quantity', () => {
    const seats = price({
      id: 'price_seats',
      product: pro,
      unitAmount: 12000,
      interval: 'year',
      intervalCount: 2,
      lookupKey: 'professional_biennial',
      transformQuantity: { divide_by: 5, round: 'up' },
    });
    const metered = price({ id: 'price_api', product: pro, unitAmount: 2, usageType: 'metered' });
    const mapped = mapOk(
      subscription({
        id: 's',
        customer: 'c',
        items: [{ price: embedded(seats), quantity: 12 }, { price: embedded(metered) }],
      }),
    );
    expect(mapped.items[0]?.price).toEqual({
      id: 'price_seats',
      productId: 'prod_pro',
      tier: undefined,
      lookupKey: 'professional_biennial',
      usageType: 'licensed',
      interval: 'year',
      intervalCount: 2,
      billingScheme: 'per_unit',
      unitAmount: 12000,
      transformQuantity: { divideBy: 5, round: 'up' },
    });
    expect(mapped.items[1]?.price.usageType).toBe('metered');
    expect(mapped.items[1]?.quantity).toBeUndefined();
  });

  it('uses the catalogue price for tiers, with up_to null or "inf" as the open last tier', () => {
    const tiered = price({
      id: 'price_tiered',
      product: pro,
      tiersMode: 'volume',
      tiers: [
        { upTo: 10, unitAmount: 1000, flatAmount: 500 },
        { upTo: 50, unitAmountDecimal: '850.25' },
        { upTo: null, unitAmount: 700 },
      ],
    });
    const withInf = {
      ...tiered,
      tiers: tiered.tiers?.map((t, i) => (i === 2 ? { ...t, up_to: 'inf' as unknown as null } : t)),
    };
    for (const catalogued of [tiered, withInf]) {
      const catalogue = buildCatalogue({ prices: [catalogued], coupons: [], customers: [] });
      const mapped = mapOk(
        subscription({
          id: 's',
          customer: 'c',
          items: [{ price: embedded(tiered), quantity: 20 }],
        }),
        catalogue,
      );
      expect(mapped.items[0]?.price).toMatchObject({
        billingScheme: 'tiered',
        tiersMode: 'volume',
        tier: 'professional',
        tiers: [
          { upTo: 10, unitAmount: 1000, flatAmount: 500 },
          { upTo: 50, unitAmount: 850.25, flatAmount: 0 },
          { upTo: null, unitAmount: 700, flatAmount: 0 },
        ],
      });
      expect(mapped.items[0]?.price.unitAmount).toBeUndefined();
    }
  });

  it('rejects a tiered price whose tiers were not expanded, naming the fix', () => {
    const tiered = price({ id: 'price_t', product: pro, tiers: [{ upTo: null, unitAmount: 1 }] });
    const { mapped, rejected } = map(
      subscription({ id: 'sub_t', customer: 'c', items: [{ price: embedded(tiered) }] }),
    );
    expect(mapped).toBeUndefined();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toBe('invalid_stripe_subscription');
    expect(rejected[0]?.detail.subscription).toBe('sub_t');
    expect(String(rejected[0]?.detail.error)).toMatch(/price_t.*tiers.*data\.tiers/);
  });

  it('reads the tier from price metadata first, then the expanded or catalogued product', () => {
    const ownTier = price({
      id: 'p_own',
      product: pro,
      unitAmount: 1,
      metadata: { tier: 'enterprise' },
    });
    const fromProduct = price({ id: 'p_prod', product: pro, unitAmount: 1 });
    const unknownProduct = price({ id: 'p_none', product: product('prod_gone'), unitAmount: 1 });
    const catalogue = buildCatalogue({ prices: [fromProduct], coupons: [], customers: [] });
    const mapped = mapOk(
      subscription({
        id: 's',
        customer: 'c',
        items: [
          { price: embedded(ownTier) },
          { price: embedded(fromProduct) },
          { price: fromProduct },
          { price: embedded(unknownProduct) },
        ],
      }),
      catalogue,
    );
    expect(mapped.items.map((i) => i.price.tier)).toEqual([
      'enterprise',
      'professional',
      'professional',
      undefined,
    ]);
  });

  it('bills a subscription in another currency from the price currency_options', () => {
    const multi = price({
      id: 'p_multi',
      product: pro,
      unitAmount: 4900,
      currencyOptions: { eur: 4500 },
    });
    const catalogue = buildCatalogue({ prices: [multi], coupons: [], customers: [] });
    const eur = mapOk(
      subscription({
        id: 's',
        customer: 'c',
        currency: 'eur',
        items: [{ price: embedded(multi) }],
      }),
      catalogue,
    );
    expect(eur.items[0]?.price.unitAmount).toBe(4500);
    const { mapped, rejected } = map(
      subscription({
        id: 's2',
        customer: 'c',
        currency: 'gbp',
        items: [{ price: embedded(multi) }],
      }),
      catalogue,
    );
    expect(mapped).toBeUndefined();
    expect(String(rejected[0]?.detail.error)).toMatch(/no amount in gbp/);
  });
});

describe('subscriptionFromStripe: discounts', () => {
  const twenty = coupon({ id: 'co_20', percentOff: 20, duration: 'forever' });
  const tenOffPro = coupon({
    id: 'co_10_pro',
    amountOff: 1000,
    currency: 'USD',
    duration: 'repeating',
    durationInMonths: 3,
    appliesTo: ['prod_pro'],
  });

  it('maps expanded subscription discounts and item discounts whose coupon is an id', () => {
    const subDiscount = discount({ id: 'di_sub', coupon: twenty, customer: 'c' });
    const itemDiscount = discount({
      id: 'di_item',
      coupon: tenOffPro,
      customer: 'c',
      end: unix('2026-09-01T00:00:00Z'),
    });
    // The item's discount names its coupon by id, without applies_to: the catalogue has both.
    const itemDiscountById = { ...itemDiscount, source: { type: 'coupon', coupon: 'co_10_pro' } };
    const catalogue = buildCatalogue({ prices: [], coupons: [twenty, tenOffPro], customers: [] });
    const mapped = mapOk(
      subscription({
        id: 's',
        customer: 'c',
        discounts: [subDiscount],
        items: [{ price: embedded(starterMonthly), discounts: [itemDiscountById] }],
      }),
      catalogue,
    );
    expect(mapped.discounts).toEqual([
      { duration: 'forever', percentOff: 20, end: undefined, appliesToProducts: undefined },
    ]);
    expect(mapped.items[0]?.discounts).toEqual([
      {
        duration: 'repeating',
        amountOff: 1000,
        currency: 'usd',
        end: new Date('2026-09-01T00:00:00Z'),
        appliesToProducts: ['prod_pro'],
      },
    ]);
  });

  it('resolves a discount given by id from the catalogue, and rejects one it cannot resolve', () => {
    const known = discount({ id: 'di_known', coupon: twenty, customer: 'c' });
    const catalogue = buildCatalogue({
      prices: [],
      coupons: [twenty],
      customers: [customer({ id: 'c', discount: known })],
    });
    const sub = subscription({
      id: 's',
      customer: 'c',
      items: [{ price: embedded(starterMonthly) }],
    });
    expect(mapOk({ ...sub, discounts: ['di_known'] }, catalogue).discounts[0]?.percentOff).toBe(20);
    const { mapped, rejected } = map({ ...sub, discounts: ['di_unknown'] }, catalogue);
    expect(mapped).toBeUndefined();
    expect(String(rejected[0]?.detail.error)).toMatch(/di_unknown/);
  });

  it('keeps an expanded coupon that the catalogue no longer lists (deleted after applying)', () => {
    const deletedCoupon = coupon({ id: 'co_gone', percentOff: 50 });
    const sub = subscription({
      id: 's',
      customer: 'c',
      discounts: [discount({ id: 'di', coupon: deletedCoupon, customer: 'c' })],
      items: [{ price: embedded(starterMonthly) }],
    });
    expect(mapOk(sub).discounts[0]?.percentOff).toBe(50);
    const byId = {
      ...sub,
      discounts: [discount({ id: 'di', coupon: deletedCoupon, customer: 'c' })],
    };
    (byId.discounts[0] as Stripe.Discount).source.coupon = 'co_gone';
    const { mapped, rejected } = map(byId);
    expect(mapped).toBeUndefined();
    expect(String(rejected[0]?.detail.error)).toMatch(/coupon co_gone is unknown/);
  });

  it("inherits the customer's discount only when the subscription has none", () => {
    const customerDiscount = discount({ id: 'di_cus', coupon: tenOffPro, customer: 'cus_d' });
    const catalogue = buildCatalogue({
      prices: [],
      coupons: [twenty, tenOffPro],
      customers: [customer({ id: 'cus_d', discount: customerDiscount })],
    });
    const items = [{ price: embedded(starterMonthly) }];
    const plain = mapOk(subscription({ id: 's1', customer: 'cus_d', items }), catalogue);
    expect(plain.discounts).toEqual([
      {
        duration: 'repeating',
        amountOff: 1000,
        currency: 'usd',
        end: undefined,
        appliesToProducts: ['prod_pro'],
      },
    ]);
    const own = mapOk(
      subscription({
        id: 's2',
        customer: 'cus_d',
        items,
        discounts: [discount({ id: 'di_own', coupon: twenty, customer: 'cus_d' })],
      }),
      catalogue,
    );
    expect(own.discounts).toEqual([
      { duration: 'forever', percentOff: 20, end: undefined, appliesToProducts: undefined },
    ]);
  });

  it("takes a multi-currency coupon's amount off in the subscription's currency", () => {
    const multi: Stripe.Coupon = {
      ...coupon({ id: 'co_multi', amountOff: 500, currency: 'usd' }),
      currency_options: { jpy: { amount_off: 700 } },
    };
    const catalogue = buildCatalogue({ prices: [], coupons: [multi], customers: [] });
    const yen = price({ id: 'p_jpy', product: starter, currency: 'jpy', unitAmount: 5000 });
    const mapped = mapOk(
      subscription({
        id: 's',
        customer: 'c',
        currency: 'jpy',
        discounts: [discount({ id: 'di', coupon: multi, customer: 'c' })],
        items: [{ price: yen }],
      }),
      catalogue,
    );
    expect(mapped.discounts[0]).toMatchObject({ amountOff: 700, currency: 'jpy' });
  });
});

describe('subscriptionFromStripe: malformed objects are reported and skipped, never thrown', () => {
  const good = subscription({ id: 'sub_bad', customer: 'c', items: [{ price: starterMonthly }] });
  const cases: [string, unknown, RegExp][] = [
    ['an unknown status', { ...good, status: 'frozen' }, /status "frozen"/],
    ['no currency', { ...good, currency: null }, /no currency/],
    ['no start_date', { ...good, start_date: undefined }, /start_date/],
    ['a timestamp that is not a number', { ...good, trial_end: '2026-01-01' }, /trial_end/],
    ['no items list', { ...good, items: null }, /items/],
    [
      'more items than embedded',
      { ...good, items: { ...good.items, has_more: true } },
      /more items/,
    ],
    ['a non-recurring price', withPrice(good, { recurring: null }), /not recurring/],
    [
      'an unknown interval',
      withPrice(good, { recurring: { ...starterMonthly.recurring, interval: 'fortnight' } }),
      /interval "fortnight"/,
    ],
    [
      'a decimal that is not a number',
      withPrice(good, { unit_amount_decimal: 'abc' }),
      /unit_amount_decimal/,
    ],
    [
      'a price without an amount',
      withPrice(good, { unit_amount: null, unit_amount_decimal: null }),
      /no unit amount/,
    ],
    [
      'a coupon with an unknown duration',
      {
        ...good,
        discounts: [
          discount({
            id: 'd',
            coupon: { ...coupon({ id: 'x', percentOff: 1 }), duration: 'sometimes' },
            customer: 'c',
          }),
        ],
      },
      /duration "sometimes"/,
    ],
    [
      'a discount list that is not a list',
      { ...good, discounts: 'di_1' },
      /discounts is not a list/,
    ],
  ];
  it.each(cases)('%s', (_name, sub, message) => {
    const { mapped, rejected } = map(sub as Stripe.Subscription);
    expect(mapped).toBeUndefined();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.detail.subscription).toBe('sub_bad');
    expect(String(rejected[0]?.detail.error)).toMatch(message);
  });

  it.each([null, undefined, {}, 'sub_1', 42])('garbage %j', (garbage) => {
    const { mapped, rejected } = map(garbage as unknown as Stripe.Subscription);
    expect(mapped).toBeUndefined();
    expect(rejected[0]?.detail.error).toMatch(/no id/);
  });
});

function withPrice(sub: Stripe.Subscription, patch: Record<string, unknown>): Stripe.Subscription {
  const [item] = sub.items.data;
  if (!item) throw new Error('fixture has no item');
  const patched = { ...item, price: { ...item.price, ...patch } as Stripe.Price };
  return { ...sub, items: { ...sub.items, data: [patched] } };
}

describe('customerFromStripe', () => {
  it('reads the channel from the metadata key, `channel` by default', () => {
    const c = customer({ id: 'cus_1', metadata: { channel: 'paid', source: 'referral' } });
    expect(customerFromStripe(c)).toEqual({ id: 'cus_1', channel: 'paid' });
    expect(customerFromStripe(c, 'source')).toEqual({ id: 'cus_1', channel: 'referral' });
    expect(customerFromStripe(c, 'utm')).toEqual({ id: 'cus_1', channel: undefined });
    expect(customerFromStripe(customer({ id: 'cus_2', metadata: { channel: '  ' } }))).toEqual({
      id: 'cus_2',
      channel: undefined,
    });
  });

  it('reports a customer without an id', () => {
    const rejected: string[] = [];
    const result = customerFromStripe({} as Stripe.Customer, 'channel', (reason) =>
      rejected.push(reason),
    );
    expect(result).toBeUndefined();
    expect(rejected).toEqual(['invalid_stripe_customer']);
  });
});

describe('buildCatalogue', () => {
  it('indexes products expanded in prices and discounts held by customers', () => {
    const d = discount({
      id: 'di_c',
      coupon: coupon({ id: 'co', percentOff: 5 }),
      customer: 'cus',
    });
    const catalogue = buildCatalogue({
      prices: [starterMonthly, embedded(price({ id: 'p2', product: pro, unitAmount: 1 }))],
      coupons: [],
      customers: [customer({ id: 'cus', discount: d }), customer({ id: 'cus_none' })],
    });
    expect([...catalogue.products.keys()]).toEqual(['prod_starter']);
    expect([...catalogue.discounts.keys()]).toEqual(['di_c']);
    expect([...catalogue.customers.keys()]).toEqual(['cus', 'cus_none']);
    expect([...catalogue.prices.keys()]).toEqual(['price_starter', 'p2']);
  });
});
