import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  daysFromNow,
  discount,
  item,
  NOW,
  policy,
  price,
  subscription,
} from '../../test/fixtures/billing-builders.js';
import { countsAt, itemMrr, subscriptionMrr } from './subscription-mrr.js';
import type { SubscriptionStatus } from './types.js';
import { subscriptionStatuses } from './types.js';

const defaults = policy();
const atRequest = policy({ churnRecognition: 'at_request' });
const periodEnd = policy({ churnRecognition: 'period_end' });

describe('countsAt: statuses', () => {
  it('counts an active subscription (MRR 1000 = 1 x 1000)', () => {
    const sub = subscription();
    expect(countsAt(sub, NOW, defaults)).toBe(true);
    expect(subscriptionMrr(sub, NOW, defaults)).toBe(1000);
  });

  it.each(['trialing', 'incomplete', 'incomplete_expired', 'paused'] as const)(
    'excludes %s',
    (status) => {
      const sub = subscription({
        status,
        trialEnd: status === 'trialing' ? daysFromNow(7) : undefined,
      });
      expect(countsAt(sub, NOW, defaults)).toBe(false);
      expect(subscriptionMrr(sub, NOW, defaults)).toBe(0);
    },
  );

  it('excludes a trialing subscription even without a trial end', () => {
    expect(countsAt(subscription({ status: 'trialing' }), NOW, defaults)).toBe(false);
  });

  describe('past_due', () => {
    const pastDue = (daysAgo: number) =>
      subscription({ status: 'past_due', pastDueSince: daysFromNow(-daysAgo) });

    it('counts inside the grace period (10 days <= 30)', () => {
      expect(countsAt(pastDue(10), NOW, defaults)).toBe(true);
      expect(subscriptionMrr(pastDue(10), NOW, defaults)).toBe(1000);
    });

    it('counts on the last day of grace (exactly 30 days)', () => {
      expect(countsAt(pastDue(30), NOW, defaults)).toBe(true);
    });

    it('excludes beyond the grace period (31 days > 30)', () => {
      expect(countsAt(pastDue(31), NOW, defaults)).toBe(false);
      expect(subscriptionMrr(pastDue(31), NOW, defaults)).toBe(0);
    });

    it('follows pastDueGraceDays', () => {
      // 10 days > 7: out; 10 days <= 14: in
      expect(countsAt(pastDue(10), NOW, policy({ pastDueGraceDays: 7 }))).toBe(false);
      expect(countsAt(pastDue(10), NOW, policy({ pastDueGraceDays: 14 }))).toBe(true);
      // grace 0: one hour late is already out
      const anHourLate = subscription({
        status: 'past_due',
        pastDueSince: new Date(NOW.getTime() - DAY_MS / 24),
      });
      expect(countsAt(anHourLate, NOW, policy({ pastDueGraceDays: 0 }))).toBe(false);
    });

    it('counts a past_due subscription that does not say since when', () => {
      expect(countsAt(subscription({ status: 'past_due' }), NOW, defaults)).toBe(true);
    });

    it('counts at a moment before payment started failing', () => {
      // failing for 40 days now (out of grace), but fine 50 days ago
      const sub = pastDue(40);
      expect(countsAt(sub, NOW, defaults)).toBe(false);
      expect(countsAt(sub, daysFromNow(-50), defaults)).toBe(true);
    });
  });

  describe('unpaid', () => {
    const unpaid = subscription({ status: 'unpaid', pastDueSince: daysFromNow(-40) });

    it('is excluded now', () => {
      expect(countsAt(unpaid, NOW, defaults)).toBe(false);
      expect(subscriptionMrr(unpaid, NOW, defaults)).toBe(0);
    });

    it('counts at a moment before pastDueSince', () => {
      expect(countsAt(unpaid, daysFromNow(-41), defaults)).toBe(true);
      expect(subscriptionMrr(unpaid, daysFromNow(-41), defaults)).toBe(1000);
    });

    it('is excluded without pastDueSince', () => {
      expect(countsAt(subscription({ status: 'unpaid' }), NOW, defaults)).toBe(false);
    });
  });

  describe('canceled', () => {
    // canceled immediately 10 days ago
    const canceled = subscription({
      status: 'canceled',
      canceledAt: daysFromNow(-10),
      endedAt: daysFromNow(-10),
    });

    it('counts at a moment before it ended', () => {
      expect(countsAt(canceled, daysFromNow(-20), defaults)).toBe(true);
      expect(subscriptionMrr(canceled, daysFromNow(-20), defaults)).toBe(1000);
    });

    it('is excluded once ended (endedAt in the past, and exactly at endedAt)', () => {
      expect(countsAt(canceled, NOW, defaults)).toBe(false);
      expect(countsAt(canceled, daysFromNow(-10), defaults)).toBe(false);
    });

    it('is excluded without endedAt', () => {
      expect(countsAt(subscription({ status: 'canceled' }), daysFromNow(-20), defaults)).toBe(
        false,
      );
    });
  });

  describe('scheduled cancellation', () => {
    const scheduled = subscription({ cancelAtPeriodEnd: true, canceledAt: daysFromNow(-5) });

    it("counts until the period ends under churnRecognition 'period_end'", () => {
      expect(countsAt(scheduled, NOW, periodEnd)).toBe(true);
      expect(subscriptionMrr(scheduled, NOW, periodEnd)).toBe(1000);
    });

    it("is excluded as soon as requested under 'at_request'", () => {
      expect(countsAt(scheduled, NOW, atRequest)).toBe(false);
      expect(subscriptionMrr(scheduled, NOW, atRequest)).toBe(0);
    });

    it('is always excluded from committed MRR', () => {
      expect(countsAt(scheduled, NOW, periodEnd, true)).toBe(false);
      expect(subscriptionMrr(scheduled, NOW, periodEnd, true)).toBe(0);
      expect(countsAt(scheduled, NOW, atRequest, true)).toBe(false);
    });

    it('treats a cancel_at date like cancel_at_period_end', () => {
      const cancelAt = subscription({ cancelAt: daysFromNow(20), canceledAt: daysFromNow(-1) });
      expect(countsAt(cancelAt, NOW, periodEnd)).toBe(true);
      expect(countsAt(cancelAt, NOW, atRequest)).toBe(false);
      expect(countsAt(cancelAt, NOW, periodEnd, true)).toBe(false);
    });

    it('counts again once un-cancelled (cancelAtPeriodEnd false again), in committed too', () => {
      const uncancelled = subscription({ cancelAtPeriodEnd: false, canceledAt: daysFromNow(-5) });
      expect(countsAt(uncancelled, NOW, atRequest)).toBe(true);
      expect(countsAt(uncancelled, NOW, periodEnd, true)).toBe(true);
    });

    it('does not exclude at a moment before the cancellation was requested', () => {
      // requested 5 days ago; judged 10 days ago
      const before = daysFromNow(-10);
      expect(countsAt(scheduled, before, atRequest)).toBe(true);
      expect(countsAt(scheduled, before, periodEnd, true)).toBe(true);
    });

    it('excludes a scheduled cancellation without canceledAt (request time unknown)', () => {
      const unknownRequest = subscription({ cancelAtPeriodEnd: true });
      expect(countsAt(unknownRequest, NOW, atRequest)).toBe(false);
      expect(countsAt(unknownRequest, NOW, periodEnd)).toBe(true);
    });

    it("a cancelled-at-period-end subscription that has ended counts between request and end only under 'period_end'", () => {
      const ended = subscription({
        status: 'canceled',
        cancelAtPeriodEnd: true,
        canceledAt: daysFromNow(-20),
        endedAt: daysFromNow(-5),
      });
      const between = daysFromNow(-10);
      expect(countsAt(ended, between, periodEnd)).toBe(true);
      expect(countsAt(ended, between, atRequest)).toBe(false);
      expect(countsAt(ended, NOW, periodEnd)).toBe(false);
    });
  });

  describe('start and trial', () => {
    it('excludes a subscription that starts after `at`', () => {
      const future = subscription({ startedAt: daysFromNow(1) });
      expect(countsAt(future, NOW, defaults)).toBe(false);
    });

    it('counts from the start instant on', () => {
      const startsNow = subscription({ startedAt: NOW });
      expect(countsAt(startsNow, NOW, defaults)).toBe(true);
    });

    // a trial converted 10 days ago: started 24 days ago with a 14-day trial
    const converted = subscription({
      status: 'active',
      startedAt: daysFromNow(-24),
      trialEnd: daysFromNow(-10),
    });

    it('excludes a moment while the trial was running (trialEnd in the future)', () => {
      expect(countsAt(converted, daysFromNow(-15), defaults)).toBe(false);
      expect(subscriptionMrr(converted, daysFromNow(-15), defaults)).toBe(0);
    });

    it('counts a moment after the trial ended (trialEnd in the past)', () => {
      expect(countsAt(converted, daysFromNow(-5), defaults)).toBe(true);
      expect(countsAt(converted, NOW, defaults)).toBe(true);
    });

    it('excludes an active subscription whose trial end is still ahead', () => {
      const sub = subscription({ status: 'active', trialEnd: daysFromNow(3) });
      expect(countsAt(sub, NOW, defaults)).toBe(false);
    });
  });
});

describe('subscriptionMrr: amounts', () => {
  it('is 0 at quantity 0', () => {
    expect(subscriptionMrr(subscription({ items: [item({ quantity: 0 })] }), NOW, defaults)).toBe(
      0,
    );
  });

  it('sums several items: 2 x 1000 + 3 x 500 = 3500', () => {
    const sub = subscription({
      items: [
        item({ quantity: 2 }),
        item({
          price: price({ id: 'price_addon', productId: 'prod_addon', unitAmount: 500 }),
          quantity: 3,
        }),
      ],
    });
    expect(subscriptionMrr(sub, NOW, defaults)).toBe(3500);
  });

  it('excludes metered items', () => {
    const metered = item({
      price: price({ id: 'price_api', usageType: 'metered', unitAmount: 5 }),
      quantity: undefined,
    });
    const sub = subscription({ items: [item(), metered] });
    // only the licensed item: 1000
    expect(subscriptionMrr(sub, NOW, defaults)).toBe(1000);
    expect(itemMrr(sub, NOW, defaults).map((i) => i.item.price.id)).toEqual(['price_basic']);
  });

  it('is 0 for a subscription with only metered items', () => {
    const sub = subscription({
      items: [item({ price: price({ usageType: 'metered' }), quantity: undefined })],
    });
    expect(subscriptionMrr(sub, NOW, defaults)).toBe(0);
  });

  it('normalises each item on its own interval', () => {
    const sub = subscription({
      items: [
        item(),
        item({ price: price({ id: 'price_y', interval: 'year', unitAmount: 12000 }) }),
        item({ price: price({ id: 'price_w', interval: 'week', unitAmount: 100 }) }),
      ],
    });
    // 1000 + 12000 / 12 + 100 x 52 / 12 = 1000 + 1000 + 433.333... = 2433.333...
    expect(subscriptionMrr(sub, NOW, defaults)).toBeCloseTo(2433.3333333, 6);
  });

  it('keeps fractional unit amounts: 3001 x 0.5 = 1500.5', () => {
    const sub = subscription({
      items: [item({ price: price({ unitAmount: 0.5 }), quantity: 3001 })],
    });
    expect(subscriptionMrr(sub, NOW, defaults)).toBeCloseTo(1500.5, 9);
  });

  it('prices a tiered item on its quantity', () => {
    const sub = subscription({
      items: [
        item({
          price: price({
            billingScheme: 'tiered',
            tiersMode: 'volume',
            unitAmount: undefined,
            tiers: [
              { upTo: 10, unitAmount: 1000, flatAmount: 0 },
              { upTo: null, unitAmount: 700, flatAmount: 0 },
            ],
          }),
          quantity: 12,
        }),
      ],
    });
    // volume: 12 x 700 = 8400
    expect(subscriptionMrr(sub, NOW, defaults)).toBe(8400);
  });

  it('throws an error naming the price for a tiered price without tiers', () => {
    const sub = subscription({
      items: [item({ price: price({ id: 'price_no_tiers', billingScheme: 'tiered' }) })],
    });
    expect(() => subscriptionMrr(sub, NOW, defaults)).toThrow(/price_no_tiers/);
  });
});

describe('itemMrr: discounts', () => {
  const two = (discounts: ReturnType<typeof discount>[]) =>
    subscription({
      items: [
        item({ price: price({ id: 'price_a', productId: 'prod_a', unitAmount: 3000 }) }),
        item({ price: price({ id: 'price_b', productId: 'prod_b', unitAmount: 1000 }) }),
      ],
      discounts,
    });
  const amounts = (sub: ReturnType<typeof subscription>, p = defaults) =>
    itemMrr(sub, NOW, p).map((i) => i.amount);

  it('applies an item discount before the subscription discount', () => {
    // item 300 off then subscription 50%: (1000 - 300) x 0.5 = 350 (the other order gives 200)
    const a = subscription({
      items: [item({ discounts: [discount({ amountOff: 300 })] })],
      discounts: [discount({ percentOff: 50 })],
    });
    expect(subscriptionMrr(a, NOW, defaults)).toBeCloseTo(350, 9);
    // item 20% then subscription 300 off: 1000 x 0.8 - 300 = 500 (the other order gives 560)
    const b = subscription({
      items: [item({ discounts: [discount({ percentOff: 20 })] })],
      discounts: [discount({ amountOff: 300 })],
    });
    expect(subscriptionMrr(b, NOW, defaults)).toBeCloseTo(500, 9);
  });

  it('brings 100% off to MRR 0', () => {
    expect(subscriptionMrr(two([discount({ percentOff: 100 })]), NOW, defaults)).toBe(0);
  });

  it('clamps a subscription amount off larger than the invoice to 0', () => {
    // 3000 + 1000 = 4000 < 10000 off → 0
    expect(amounts(two([discount({ amountOff: 10000 })]))).toEqual([0, 0]);
  });

  it('clamps an item amount off larger than the item to 0', () => {
    const sub = subscription({ items: [item({ discounts: [discount({ amountOff: 5000 })] })] });
    expect(subscriptionMrr(sub, NOW, defaults)).toBe(0);
  });

  it('shares a subscription amount off between items in proportion to their amounts', () => {
    // total 4000 - 2000 = 2000; prod_a 3000/4000 = 0.75 → 1500, prod_b 0.25 → 500
    const [a, b] = amounts(two([discount({ amountOff: 2000 })]));
    expect(a).toBeCloseTo(1500, 9);
    expect(b).toBeCloseTo(500, 9);
  });

  it('applies a subscription percentage to each item: 3000 x 0.9 = 2700, 1000 x 0.9 = 900', () => {
    const [a, b] = amounts(two([discount({ percentOff: 10 })]));
    expect(a).toBeCloseTo(2700, 9);
    expect(b).toBeCloseTo(900, 9);
  });

  it('divides a subscription amount off on an annual subscription by 12', () => {
    const annual = subscription({
      items: [item({ price: price({ interval: 'year', unitAmount: 12000 }) })],
      discounts: [discount({ amountOff: 1200 })],
    });
    // 12000 / 12 - 1200 / 12 = 1000 - 100 = 900
    expect(subscriptionMrr(annual, NOW, defaults)).toBeCloseTo(900, 9);
  });

  it('divides an item amount off on an annual price by 12', () => {
    const annual = subscription({
      items: [
        item({
          price: price({ interval: 'year', unitAmount: 12000 }),
          discounts: [discount({ amountOff: 2400 })],
        }),
      ],
    });
    // 1000 - 2400 / 12 = 800
    expect(subscriptionMrr(annual, NOW, defaults)).toBeCloseTo(800, 9);
  });

  it('ignores a subscription amount off in another currency', () => {
    expect(amounts(two([discount({ amountOff: 2000, currency: 'eur' })]))).toEqual([3000, 1000]);
  });

  it('ignores a coupon limited to another product', () => {
    expect(amounts(two([discount({ percentOff: 50, appliesToProducts: ['prod_x'] })]))).toEqual([
      3000, 1000,
    ]);
    expect(amounts(two([discount({ amountOff: 500, appliesToProducts: ['prod_x'] })]))).toEqual([
      3000, 1000,
    ]);
  });

  it('takes a product-limited amount off from that product only', () => {
    // prod_b only: 1000 - 500 = 500; prod_a untouched 3000
    const [a, b] = amounts(two([discount({ amountOff: 500, appliesToProducts: ['prod_b'] })]));
    expect(a).toBe(3000);
    expect(b).toBeCloseTo(500, 9);
  });

  // BUG (subscription-mrr.ts, itemMrr): the covered total (3000 + 1000 = 4000) is reduced
  // once per item by that item's own coupons only, then split by share, so neither item
  // bears the other coupon. Actual: prod_a (4000 - 500) x 0.75 = 2625, prod_b
  // (4000 - 300) x 0.25 = 925, total 3550 instead of 3200.
  it('takes two product-limited amount-off coupons each from its own product', () => {
    // prod_a: 3000 - 500 = 2500; prod_b: 1000 - 300 = 700; total 3200
    const sub = two([
      discount({ amountOff: 500, appliesToProducts: ['prod_a'] }),
      discount({ amountOff: 300, appliesToProducts: ['prod_b'] }),
    ]);
    const [a, b] = amounts(sub);
    expect(a).toBeCloseTo(2500, 9);
    expect(b).toBeCloseTo(700, 9);
    expect(subscriptionMrr(sub, NOW, defaults)).toBeCloseTo(3200, 9);
  });

  describe('under both discount policies', () => {
    const foreverOnly = policy({ discounts: 'forever_only' });
    const withDiscount = (d: ReturnType<typeof discount>) =>
      subscriptionMrr(subscription({ discounts: [d] }), NOW, defaults);
    const withDiscountForeverOnly = (d: ReturnType<typeof discount>) =>
      subscriptionMrr(subscription({ discounts: [d] }), NOW, foreverOnly);

    it.each([
      // [label, discount, all_active MRR, forever_only MRR]
      ['percent once', discount({ duration: 'once', percentOff: 25 }), 750, 1000],
      ['amount once', discount({ duration: 'once', amountOff: 250 }), 750, 1000],
      [
        'percent repeating, ends in the future',
        discount({ duration: 'repeating', end: daysFromNow(30), percentOff: 25 }),
        750,
        1000,
      ],
      [
        'amount repeating, ended in the past',
        discount({ duration: 'repeating', end: daysFromNow(-1), amountOff: 250 }),
        1000,
        1000,
      ],
      ['percent forever', discount({ duration: 'forever', percentOff: 25 }), 750, 750],
      ['amount forever', discount({ duration: 'forever', amountOff: 250 }), 750, 750],
      ['100% forever', discount({ duration: 'forever', percentOff: 100 }), 0, 0],
    ])('%s: all_active %d, forever_only %d', (_, d, underAll, underForever) => {
      // 1000 x (1 - 0.25) = 750; 1000 - 250 = 750
      expect(withDiscount(d)).toBeCloseTo(underAll, 9);
      expect(withDiscountForeverOnly(d)).toBeCloseTo(underForever, 9);
    });

    it('item discounts follow the policy too', () => {
      const sub = subscription({
        items: [item({ discounts: [discount({ duration: 'once', percentOff: 40 })] })],
      });
      // all_active: 1000 x 0.6 = 600; forever_only: 1000
      expect(subscriptionMrr(sub, NOW, defaults)).toBeCloseTo(600, 9);
      expect(subscriptionMrr(sub, NOW, foreverOnly)).toBe(1000);
    });
  });
});

describe('subscriptionMrr: every status at once', () => {
  const statuses: readonly SubscriptionStatus[] = subscriptionStatuses;

  it('only active and past_due (no date) carry MRR now', () => {
    const counted = statuses.filter(
      (status) => subscriptionMrr(subscription({ status }), NOW, defaults) > 0,
    );
    expect(counted).toEqual(['active', 'past_due']);
  });
});
