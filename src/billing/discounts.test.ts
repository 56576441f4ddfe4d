import { describe, expect, it } from 'vitest';
import { daysFromNow, discount, NOW, policy } from '../../test/fixtures/billing-builders.js';
import { applyDiscounts, coversProduct, discountApplies } from './discounts.js';
import type { BillingPolicy } from './policy.js';
import type { BillingDiscount } from './types.js';

const allActive = policy({ discounts: 'all_active' });
const foreverOnly = policy({ discounts: 'forever_only' });

const monthlyContext = (p: BillingPolicy = allActive) => ({
  at: NOW,
  currency: 'usd',
  productId: 'prod_basic',
  monthsPerInvoice: 1,
  policy: p,
});

describe('discountApplies', () => {
  it.each([
    // [duration, end, all_active, forever_only]
    ['forever', undefined, true, true],
    ['once', undefined, true, false],
    ['repeating', daysFromNow(30), true, false],
    ['repeating', daysFromNow(-1), false, false],
    // end is exclusive: a coupon ending exactly at `at` no longer applies
    ['repeating', NOW, false, false],
  ] as const)(
    '%s ending %s: all_active %s, forever_only %s',
    (duration, end, underAll, underForever) => {
      const d = discount({ duration, end, percentOff: 10 });
      expect(discountApplies(d, NOW, allActive)).toBe(underAll);
      expect(discountApplies(d, NOW, foreverOnly)).toBe(underForever);
    },
  );

  it('defaults to all_active', () => {
    expect(policy().discounts).toBe('all_active');
    expect(discountApplies(discount({ duration: 'once' }), NOW, policy())).toBe(true);
  });
});

describe('coversProduct', () => {
  it('covers every product when the coupon has no product list', () => {
    expect(coversProduct(discount(), 'prod_any')).toBe(true);
  });

  it('covers only the listed products', () => {
    const d = discount({ appliesToProducts: ['prod_a', 'prod_b'] });
    expect(coversProduct(d, 'prod_b')).toBe(true);
    expect(coversProduct(d, 'prod_c')).toBe(false);
  });
});

describe('applyDiscounts', () => {
  const apply = (discounts: BillingDiscount[], overrides = {}) =>
    applyDiscounts(1000, discounts, { ...monthlyContext(), ...overrides });

  it('returns the amount untouched without discounts', () => {
    expect(apply([])).toBe(1000);
  });

  it('takes a percentage off: 1000 x (1 - 20/100) = 800', () => {
    expect(apply([discount({ percentOff: 20 })])).toBeCloseTo(800, 9);
  });

  it('takes an amount off a monthly invoice: 1000 - 300 = 700', () => {
    expect(apply([discount({ amountOff: 300, currency: 'usd' })])).toBeCloseTo(700, 9);
  });

  it('brings 100% off to zero', () => {
    expect(apply([discount({ percentOff: 100 })])).toBe(0);
  });

  it('clamps an amount off larger than the price to zero: max(0, 1000 - 5000) = 0', () => {
    expect(apply([discount({ amountOff: 5000 })])).toBe(0);
  });

  it('spreads an amount off an annual invoice over 12 months: 1000 - 1200 / 12 = 900', () => {
    expect(apply([discount({ amountOff: 1200 })], { monthsPerInvoice: 12 })).toBeCloseTo(900, 9);
  });

  it('ignores an amount off in another currency', () => {
    expect(apply([discount({ amountOff: 300, currency: 'eur' })])).toBe(1000);
  });

  it('compares the amount-off currency case-insensitively: 1000 - 300 = 700', () => {
    expect(apply([discount({ amountOff: 300, currency: 'USD' })])).toBeCloseTo(700, 9);
  });

  it('ignores a coupon limited to another product', () => {
    expect(apply([discount({ percentOff: 50, appliesToProducts: ['prod_other'] })])).toBe(1000);
  });

  it('applies a coupon limited to this product: 1000 x 0.5 = 500', () => {
    expect(apply([discount({ percentOff: 50, appliesToProducts: ['prod_basic'] })])).toBeCloseTo(
      500,
      9,
    );
  });

  it('applies discounts in order', () => {
    // 20% then 300 off: 1000 x 0.8 - 300 = 500
    expect(apply([discount({ percentOff: 20 }), discount({ amountOff: 300 })])).toBeCloseTo(500, 9);
    // 300 off then 20%: (1000 - 300) x 0.8 = 560
    expect(apply([discount({ amountOff: 300 }), discount({ percentOff: 20 })])).toBeCloseTo(560, 9);
  });

  it('multiplies percentages: 1000 x 0.9 x 0.5 = 450', () => {
    expect(apply([discount({ percentOff: 10 }), discount({ percentOff: 50 })])).toBeCloseTo(450, 9);
  });

  describe('policy', () => {
    const once = discount({ duration: 'once', percentOff: 50 });
    const repeatingFuture = discount({
      duration: 'repeating',
      end: daysFromNow(60),
      amountOff: 400,
    });
    const repeatingPast = discount({ duration: 'repeating', end: daysFromNow(-1), amountOff: 400 });
    const forever = discount({ duration: 'forever', percentOff: 10 });

    it('all_active: once and running repeating coupons reduce MRR', () => {
      // 1000 x 0.5 = 500
      expect(apply([once])).toBeCloseTo(500, 9);
      // 1000 - 400 = 600
      expect(apply([repeatingFuture])).toBeCloseTo(600, 9);
    });

    it('forever_only: once and repeating coupons do not reduce MRR', () => {
      const p = { policy: foreverOnly };
      expect(apply([once], p)).toBe(1000);
      expect(apply([repeatingFuture], p)).toBe(1000);
    });

    it('a repeating coupon that has ended applies under neither policy', () => {
      expect(apply([repeatingPast])).toBe(1000);
      expect(apply([repeatingPast], { policy: foreverOnly })).toBe(1000);
    });

    it('forever coupons apply under both policies: 1000 x 0.9 = 900', () => {
      expect(apply([forever])).toBeCloseTo(900, 9);
      expect(apply([forever], { policy: foreverOnly })).toBeCloseTo(900, 9);
    });

    it('mixes: forever_only keeps only the forever coupon of a once + forever pair', () => {
      // all_active: 1000 x 0.5 x 0.9 = 450; forever_only: 1000 x 0.9 = 900
      expect(apply([once, forever])).toBeCloseTo(450, 9);
      expect(apply([once, forever], { policy: foreverOnly })).toBeCloseTo(900, 9);
    });
  });
});
