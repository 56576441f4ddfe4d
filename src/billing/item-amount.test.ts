import { describe, expect, it } from 'vitest';
import { policy, price } from '../../test/fixtures/billing-builders.js';
import {
  amountPerInterval,
  billedUnits,
  monthlyAmount,
  monthsPerInterval,
  tieredAmount,
} from './item-amount.js';
import type { PriceTier } from './types.js';

const defaults = policy();

describe('monthsPerInterval', () => {
  it.each([
    ['month', 1, 1],
    ['month', 3, 3],
    ['month', 6, 6],
    ['month', 36, 36],
    // 12 months per year x count
    ['year', 1, 12],
    ['year', 2, 24],
    ['year', 3, 36],
  ] as const)('%s x%d covers %d months', (interval, count, months) => {
    expect(monthsPerInterval(interval, count, defaults)).toBe(months);
  });

  it('uses 52/12 weeks per month by default', () => {
    // 1 week / (52/12) = 12/52 = 0.230769...
    expect(monthsPerInterval('week', 1, defaults)).toBeCloseTo(12 / 52, 12);
    // 156 weeks / (52/12) = 156 * 12 / 52 = 36 months
    expect(monthsPerInterval('week', 156, defaults)).toBeCloseTo(36, 12);
  });

  it('uses 365/12 days per month by default', () => {
    // 30 days / (365/12) = 360/365 = 0.98630...
    expect(monthsPerInterval('day', 30, defaults)).toBeCloseTo(360 / 365, 12);
  });
});

describe('monthlyAmount: interval normalisation', () => {
  it.each([
    // 1000 per month / 1 = 1000
    ['month', 1, 1000, 1000],
    // 3000 per 3 months / 3 = 1000
    ['month', 3, 3000, 1000],
    // 6600 per 6 months / 6 = 1100
    ['month', 6, 6600, 1100],
    // 36-month maximum: 72000 / 36 = 2000
    ['month', 36, 72000, 2000],
    // 12000 per year / 12 = 1000
    ['year', 1, 12000, 1000],
    // 24000 per 2 years / 24 = 1000
    ['year', 2, 24000, 1000],
    // 18000 per 3 years / 36 = 500
    ['year', 3, 18000, 500],
  ] as const)('%s x%d at %d → %d per month', (interval, intervalCount, unitAmount, expected) => {
    const p = price({ interval, intervalCount, unitAmount });
    expect(monthlyAmount(p, 1, defaults)).toBeCloseTo(expected, 9);
  });

  it('weekly x1: 1000/week x 52/12 = 4333.33 per month', () => {
    // 1000 * 52 / 12 = 4333.333...
    const p = price({ interval: 'week', intervalCount: 1, unitAmount: 1000 });
    expect(monthlyAmount(p, 1, defaults)).toBeCloseTo(4333.3333333, 6);
  });

  it('weekly x2: 1000 every 2 weeks x 52/12 / 2 = 2166.67 per month', () => {
    // 1000 * 52 / 12 / 2 = 2166.666...
    const p = price({ interval: 'week', intervalCount: 2, unitAmount: 1000 });
    expect(monthlyAmount(p, 1, defaults)).toBeCloseTo(2166.6666667, 6);
  });

  it('weekly with policy weeksPerMonth 4: 1000/week x 4 = 4000', () => {
    const p = price({ interval: 'week', intervalCount: 1, unitAmount: 1000 });
    expect(monthlyAmount(p, 1, policy({ weeksPerMonth: 4 }))).toBeCloseTo(4000, 9);
  });

  it('156-week maximum: 36000 per 156 weeks = 36000 / 36 months = 1000', () => {
    // 156 weeks / (52/12) = 36 months
    const p = price({ interval: 'week', intervalCount: 156, unitAmount: 36000 });
    expect(monthlyAmount(p, 1, defaults)).toBeCloseTo(1000, 9);
  });

  it('daily x1: 100/day x 365/12 = 3041.67 per month', () => {
    // 100 * 365 / 12 = 3041.666...
    const p = price({ interval: 'day', intervalCount: 1, unitAmount: 100 });
    expect(monthlyAmount(p, 1, defaults)).toBeCloseTo(3041.6666667, 6);
  });

  it('daily x30: 3000 every 30 days x (365/12) / 30 = 3041.67 per month', () => {
    // 3000 / 30 * 365 / 12 = 100 * 30.41666 = 3041.666...
    const p = price({ interval: 'day', intervalCount: 30, unitAmount: 3000 });
    expect(monthlyAmount(p, 1, defaults)).toBeCloseTo(3041.6666667, 6);
  });

  it('daily with policy daysPerMonth 30: 100/day x 30 = 3000', () => {
    const p = price({ interval: 'day', intervalCount: 1, unitAmount: 100 });
    expect(monthlyAmount(p, 1, policy({ daysPerMonth: 30 }))).toBeCloseTo(3000, 9);
  });

  it('keeps full precision: 100 per year → 8.333... per month, not rounded to 8.33', () => {
    // 100 / 12 = 8.3333333...
    const p = price({ interval: 'year', intervalCount: 1, unitAmount: 100 });
    const monthly = monthlyAmount(p, 1, defaults);
    expect(monthly).toBeCloseTo(8.333333333, 8);
    expect(monthly).not.toBe(8.33);
    expect(monthly).not.toBe(8);
    // twelve months give back the yearly amount
    expect(monthly * 12).toBeCloseTo(100, 9);
  });

  it('multiplies by quantity before normalising: 5 seats x 12000/yr / 12 = 5000', () => {
    const p = price({ interval: 'year', unitAmount: 12000 });
    expect(monthlyAmount(p, 5, defaults)).toBeCloseTo(5000, 9);
  });
});

describe('amountPerInterval: per-unit prices', () => {
  it.each([
    // 0 seats x 1000 = 0
    [0, 0],
    // 1 seat x 1000 = 1000
    [1, 1000],
    // 7 seats x 1000 = 7000
    [7, 7000],
  ])('quantity %d → %d', (quantity, expected) => {
    expect(amountPerInterval(price({ unitAmount: 1000 }), quantity)).toBe(expected);
  });

  it('keeps fractional unit amounts (unit_amount_decimal 0.5 cents)', () => {
    const p = price({ unitAmount: 0.5 });
    // 1000 units x 0.5 = 500 cents
    expect(amountPerInterval(p, 1000)).toBeCloseTo(500, 9);
    // 3 units x 0.5 = 1.5 cents (not rounded)
    expect(amountPerInterval(p, 3)).toBeCloseTo(1.5, 9);
  });

  it('treats a per-unit price without unit amount as free', () => {
    expect(amountPerInterval(price({ unitAmount: undefined }), 4)).toBe(0);
  });
});

describe('billedUnits: transform_quantity', () => {
  const per5 = (round: 'up' | 'down') =>
    price({ unitAmount: 1000, transformQuantity: { divideBy: 5, round } });

  it('passes the quantity through without a transform', () => {
    expect(billedUnits(price(), 12)).toBe(12);
  });

  it('rounds up: 12 seats / 5 = 2.4 → 3 packs, 3 x 1000 = 3000', () => {
    expect(billedUnits(per5('up'), 12)).toBe(3);
    expect(amountPerInterval(per5('up'), 12)).toBe(3000);
  });

  it('rounds down: 12 seats / 5 = 2.4 → 2 packs, 2 x 1000 = 2000', () => {
    expect(billedUnits(per5('down'), 12)).toBe(2);
    expect(amountPerInterval(per5('down'), 12)).toBe(2000);
  });

  it('leaves exact multiples alone: 10 / 5 = 2 either way', () => {
    expect(billedUnits(per5('up'), 10)).toBe(2);
    expect(billedUnits(per5('down'), 10)).toBe(2);
  });

  it('rounds 1 seat up to a pack and down to nothing', () => {
    // 1 / 5 = 0.2 → ceil 1, floor 0
    expect(amountPerInterval(per5('up'), 1)).toBe(1000);
    expect(amountPerInterval(per5('down'), 1)).toBe(0);
  });
});

describe('tieredAmount', () => {
  const tiers: PriceTier[] = [
    { upTo: 10, unitAmount: 1000, flatAmount: 0 },
    { upTo: 50, unitAmount: 800, flatAmount: 500 },
    { upTo: null, unitAmount: 500, flatAmount: 0 },
  ];
  const volume = price({ id: 'price_vol', billingScheme: 'tiered', tiersMode: 'volume', tiers });
  const graduated = price({
    id: 'price_grad',
    billingScheme: 'tiered',
    tiersMode: 'graduated',
    tiers,
  });

  describe('volume: every unit at the tier the quantity reaches, plus that tier’s flat amount', () => {
    it.each([
      // 5 <= 10: 5 x 1000 = 5000
      [5, 5000],
      // upTo is inclusive: 10 x 1000 = 10000
      [10, 10000],
      // 11 in tier 2: 11 x 800 + 500 = 9300
      [11, 9300],
      // 20 in tier 2: 20 x 800 + 500 = 16500
      [20, 16500],
      // 100 in the open tier (upTo null): 100 x 500 + 0 = 50000
      [100, 50000],
    ])('%d units → %d', (units, expected) => {
      expect(tieredAmount(volume, units)).toBe(expected);
    });
  });

  describe('graduated: each tier prices its own share, flat amount once a tier is entered', () => {
    it.each([
      [0, 0],
      // 5 x 1000 = 5000
      [5, 5000],
      // 10 x 1000 = 10000; tier 2 not entered, so no flat 500
      [10, 10000],
      // 10 x 1000 + (10 x 800 + 500) = 10000 + 8500 = 18500
      [20, 18500],
      // 10 x 1000 + (40 x 800 + 500) + 10 x 500 = 10000 + 32500 + 5000 = 47500
      [60, 47500],
    ])('%d units → %d', (units, expected) => {
      expect(tieredAmount(graduated, units)).toBe(expected);
    });

    it('charges a first tier flat fee once (base fee + per-seat overage)', () => {
      const p = price({
        billingScheme: 'tiered',
        tiersMode: 'graduated',
        tiers: [
          { upTo: 5, unitAmount: 0, flatAmount: 2000 },
          { upTo: null, unitAmount: 300, flatAmount: 0 },
        ],
      });
      // 3 seats: flat 2000 + 3 x 0 = 2000
      expect(tieredAmount(p, 3)).toBe(2000);
      // 8 seats: 2000 + (8 - 5) x 300 = 2900
      expect(tieredAmount(p, 8)).toBe(2900);
    });
  });

  it('volume and graduated differ on the same tiers', () => {
    // 20 units: volume 16500 vs graduated 18500 (see above)
    expect(tieredAmount(volume, 20)).not.toBe(tieredAmount(graduated, 20));
  });

  it('volume beyond the last bounded tier prices at the last tier', () => {
    const p = price({
      billingScheme: 'tiered',
      tiersMode: 'volume',
      tiers: [{ upTo: 10, unitAmount: 100, flatAmount: 0 }],
    });
    // 15 x 100 = 1500
    expect(tieredAmount(p, 15)).toBe(1500);
  });

  it('goes through amountPerInterval and monthlyAmount for a yearly tiered price', () => {
    const yearly = price({ ...graduated, interval: 'year' });
    // graduated 20 units = 18500 per year; / 12 = 1541.666...
    expect(amountPerInterval(yearly, 20)).toBe(18500);
    expect(monthlyAmount(yearly, 20, defaults)).toBeCloseTo(1541.6666667, 6);
  });

  it.each([
    ['absent', undefined],
    ['empty', []],
  ])('throws an error naming the price when its tiers are %s', (_, noTiers) => {
    const p = price({
      id: 'price_missing_tiers',
      billingScheme: 'tiered',
      tiersMode: 'volume',
      tiers: noTiers,
    });
    expect(() => amountPerInterval(p, 3)).toThrow(/price_missing_tiers.*no tiers/);
  });
});
