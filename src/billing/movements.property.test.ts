import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, mrrMap, NOW, policy } from '../../test/fixtures/billing-builders.js';
import {
  type CustomerMrr,
  computeTotals,
  customerMrrAt,
  customersPayingBefore,
} from './aggregate.js';
import { computeMovements, type MovementReport, movementKinds } from './movements.js';
import type { BillingPolicy } from './policy.js';
import type {
  BillingDiscount,
  BillingItem,
  BillingPrice,
  BillingSnapshot,
  BillingSubscription,
  Interval,
  PriceTier,
  SubscriptionStatus,
} from './types.js';
import { subscriptionStatuses } from './types.js';

const customerIds = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
const currencies = ['usd', 'eur', 'jpy'];
const productIds = ['prod_a', 'prod_b', 'prod_c'];
const RUNS = 400;

const total = (mrr: Map<string, number> | undefined) =>
  [...(mrr?.values() ?? [])].reduce((a, b) => a + b, 0);

/** start + new + reactivation + expansion − contraction − churn = end, per currency (relative 1e-6). */
function expectIdentity(report: MovementReport, start: CustomerMrr, end: CustomerMrr) {
  const perCurrency = (mrr: CustomerMrr, currency: string) =>
    [...mrr.values()].reduce((sum, m) => sum + (m.get(currency) ?? 0), 0);
  for (const [currency, m] of report.byCurrency) {
    const a = m.amounts;
    const moved = m.start + a.new + a.reactivation + a.expansion - a.contraction - a.churn;
    const scale = Math.max(
      1,
      m.start + m.end + a.new + a.reactivation + a.expansion + a.contraction + a.churn,
    );
    expect(Math.abs(moved - m.end)).toBeLessThanOrEqual(1e-6 * scale);
    // start and end are the maps' own sums for the currency
    expect(m.start).toBeCloseTo(perCurrency(start, currency), 6);
    expect(m.end).toBeCloseTo(perCurrency(end, currency), 6);
    for (const kind of movementKinds) {
      expect(Number.isFinite(a[kind])).toBe(true);
      expect(a[kind]).toBeGreaterThanOrEqual(0);
    }
  }
  // every currency that appears in either map is reported
  for (const mrr of [start, end])
    for (const perCustomer of mrr.values())
      for (const currency of perCustomer.keys()) expect(report.byCurrency.has(currency)).toBe(true);
}

/** Customer counts follow each customer's total across currencies. */
function expectCustomerCounts(
  report: MovementReport,
  start: CustomerMrr,
  end: CustomerMrr,
  paidBefore: ReadonlySet<string>,
) {
  let changed = 0;
  let fresh = 0;
  let back = 0;
  let gone = 0;
  let payingAtStart = 0;
  let payingAtEnd = 0;
  for (const customer of new Set([...start.keys(), ...end.keys()])) {
    const s = total(start.get(customer));
    const e = total(end.get(customer));
    if (s > 0) payingAtStart += 1;
    if (e > 0) payingAtEnd += 1;
    if (s <= 0 && e > 0) {
      if (paidBefore.has(customer)) back += 1;
      else fresh += 1;
    }
    if (s > 0 && e <= 0) gone += 1;
    if (s > 0 !== e > 0 || (s > 0 && e > 0 && s !== e)) changed += 1;
  }
  const counted = movementKinds.reduce((sum, kind) => sum + report.customers[kind], 0);
  expect(counted).toBe(changed);
  expect(report.customers.new).toBe(fresh);
  expect(report.customers.reactivation).toBe(back);
  expect(report.customers.churn).toBe(gone);
  expect(report.payingAtStart).toBe(payingAtStart);
  expect(report.payingAtEnd).toBe(payingAtEnd);
}

// ---- random CustomerMrr maps -------------------------------------------------------------

const amount = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 1_000_000 }),
  fc.double({ min: 0.001, max: 1_000_000, noNaN: true, noDefaultInfinity: true }),
);
const customerMrrRecord = fc.dictionary(
  fc.constantFrom(...customerIds),
  fc.dictionary(fc.constantFrom(...currencies), amount, { minKeys: 1, maxKeys: 3 }),
  { maxKeys: customerIds.length },
);

describe('computeMovements (property): random per-customer MRR maps', () => {
  it('balances every currency, keeps movements non-negative and counts changed customers', () => {
    fc.assert(
      fc.property(
        customerMrrRecord,
        customerMrrRecord,
        fc.subarray(customerIds),
        (startRecord, endRecord, paid) => {
          const start = mrrMap(startRecord);
          const end = mrrMap(endRecord);
          const paidBefore = new Set(paid);
          const report = computeMovements(start, end, paidBefore);
          expectIdentity(report, start, end);
          expectCustomerCounts(report, start, end, paidBefore);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

// ---- random subscription histories -------------------------------------------------------

const at = (days: number) => new Date(NOW.getTime() + days * DAY_MS);
/** A moment from `fromDays` to `toDays` around NOW, to the hour. */
const between = (fromDays: number, toDays: number) =>
  fc.integer({ min: fromDays * 24, max: toDays * 24 }).map((hours) => at(hours / 24));
/** A moment between 400 days ago and 10 days ahead. */
const moment = between(-400, 10);
const statuses: readonly SubscriptionStatus[] = subscriptionStatuses;

/** Interval counts within Stripe's limits (3 years). */
const intervalWithCount: fc.Arbitrary<[Interval, number]> = fc.oneof(
  fc.tuple(fc.constant<Interval>('day'), fc.integer({ min: 1, max: 1095 })),
  fc.tuple(fc.constant<Interval>('week'), fc.integer({ min: 1, max: 156 })),
  fc.tuple(fc.constant<Interval>('month'), fc.integer({ min: 1, max: 36 })),
  fc.tuple(fc.constant<Interval>('year'), fc.integer({ min: 1, max: 3 })),
);

const tiers: fc.Arbitrary<PriceTier[]> = fc
  .array(
    fc.record({
      width: fc.integer({ min: 1, max: 20 }),
      unitAmount: fc.integer({ min: 0, max: 5000 }),
      flatAmount: fc.integer({ min: 0, max: 5000 }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((list) => {
    let upTo = 0;
    return list.map((tier, index) => {
      upTo += tier.width;
      return {
        upTo: index === list.length - 1 ? null : upTo,
        unitAmount: tier.unitAmount,
        flatAmount: tier.flatAmount,
      };
    });
  });

const billingPrice: fc.Arbitrary<BillingPrice> = fc
  .record({
    id: fc.constantFrom('price_1', 'price_2', 'price_3', 'price_4'),
    productId: fc.constantFrom(...productIds),
    usageType: fc.constantFrom<'licensed' | 'metered'>('licensed', 'licensed', 'metered'),
    interval: intervalWithCount,
    tiered: fc.boolean(),
    unitAmount: fc.oneof(
      fc.integer({ min: 0, max: 100_000 }),
      fc.double({ min: 0, max: 100, noNaN: true }),
    ),
    tiersMode: fc.constantFrom<'volume' | 'graduated'>('volume', 'graduated'),
    tiers,
    transform: fc.option(
      fc.record({
        divideBy: fc.integer({ min: 1, max: 10 }),
        round: fc.constantFrom<'up' | 'down'>('up', 'down'),
      }),
      { nil: undefined },
    ),
  })
  .map((p) => ({
    id: p.id,
    productId: p.productId,
    usageType: p.usageType,
    interval: p.interval[0],
    intervalCount: p.interval[1],
    billingScheme: p.tiered ? ('tiered' as const) : ('per_unit' as const),
    ...(p.tiered
      ? { tiersMode: p.tiersMode, tiers: p.tiers }
      : { unitAmount: p.unitAmount, transformQuantity: p.transform }),
  }));

const billingDiscount: fc.Arbitrary<BillingDiscount> = fc
  .record({
    kind: fc.constantFrom('percent', 'amount'),
    percentOff: fc.double({ min: 0, max: 100, noNaN: true }),
    amountOff: fc.integer({ min: 0, max: 20_000 }),
    currency: fc.option(fc.constantFrom(...currencies, 'USD'), { nil: undefined }),
    duration: fc.constantFrom<'once' | 'repeating' | 'forever'>('once', 'repeating', 'forever'),
    end: fc.option(fc.oneof(moment, between(-20, 5)), { nil: undefined }),
    appliesToProducts: fc.option(fc.subarray(productIds, { minLength: 1 }), { nil: undefined }),
  })
  .map((d) => ({
    duration: d.duration,
    ...(d.kind === 'percent'
      ? { percentOff: d.percentOff }
      : { amountOff: d.amountOff, currency: d.currency }),
    end: d.duration === 'repeating' ? d.end : undefined,
    appliesToProducts: d.appliesToProducts,
  }));

const billingItem: fc.Arbitrary<BillingItem> = fc
  .record({
    price: billingPrice,
    quantity: fc.integer({ min: 0, max: 30 }),
    discounts: fc.array(billingDiscount, { maxLength: 2 }),
  })
  .map((i) => ({
    price: i.price,
    quantity: i.price.usageType === 'metered' ? undefined : i.quantity,
    discounts: i.discounts,
  }));

/** Mostly around the current month (which began 14.5 days before NOW), sometimes long before. */
const recent = fc.oneof(between(-400, 10), between(-40, 5), between(-40, 5));
/** Mostly active subscriptions, so customers carry MRR at both ends. */
const status = fc.oneof(
  { weight: 6, arbitrary: fc.constant<SubscriptionStatus>('active') },
  { weight: 2, arbitrary: fc.constant<SubscriptionStatus>('canceled') },
  { weight: 3, arbitrary: fc.constantFrom(...statuses) },
);

/** Undefined three times in four. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

const billingSubscription: fc.Arbitrary<BillingSubscription> = fc
  .record({
    customerId: fc.constantFrom(...customerIds.slice(0, 5)),
    status,
    currency: fc.constantFrom(...currencies, 'USD'),
    startedAt: fc.oneof(between(-400, -20), recent),
    cancelAtPeriodEnd: fc.boolean(),
    items: fc.array(billingItem, { minLength: 1, maxLength: 3 }),
    discounts: fc.array(billingDiscount, { maxLength: 2 }),
    trialDays: rarely(fc.integer({ min: 1, max: 30 })),
    canceledAt: rarely(recent),
    cancelAt: rarely(recent),
    endedAt: rarely(recent),
    pastDueSince: fc.option(recent, { nil: undefined }),
  })
  .map((s) => ({
    id: `sub_${s.customerId}_${s.startedAt.getTime()}`,
    customerId: s.customerId,
    status: s.status,
    currency: s.currency,
    startedAt: s.startedAt,
    trialEnd:
      s.trialDays === undefined
        ? undefined
        : new Date(s.startedAt.getTime() + s.trialDays * DAY_MS),
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    canceledAt: s.canceledAt,
    cancelAt: s.cancelAt,
    endedAt: s.endedAt,
    pastDueSince: s.pastDueSince,
    items: s.items,
    discounts: s.discounts,
  }));

const billingSnapshot: fc.Arbitrary<BillingSnapshot> = fc
  .array(billingSubscription, { maxLength: 12 })
  .map((subscriptions) => ({
    subscriptions,
    customers: customerIds.map((id, index) => ({ id, channel: index % 2 ? 'paid' : undefined })),
  }));

const billingPolicy: fc.Arbitrary<BillingPolicy> = fc
  .record({
    discounts: fc.constantFrom<'all_active' | 'forever_only'>('all_active', 'forever_only'),
    churnRecognition: fc.constantFrom<'period_end' | 'at_request'>('period_end', 'at_request'),
    pastDueGraceDays: fc.integer({ min: 0, max: 60 }),
    weeksPerMonth: fc.constantFrom(52 / 12, 4),
    daysPerMonth: fc.constantFrom(365 / 12, 30),
  })
  .map((p) => policy(p));

describe('computeMovements (property): random subscription histories', () => {
  const monthStart = new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), 1));

  it('month start → now balances every currency', () => {
    fc.assert(
      fc.property(billingSnapshot, billingPolicy, (snapshot, p) => {
        const start = customerMrrAt(snapshot, monthStart, p);
        const end = customerMrrAt(snapshot, NOW, p);
        const paidBefore = customersPayingBefore(snapshot, monthStart);
        const report = computeMovements(start, end, paidBefore);
        expectIdentity(report, start, end);
        expectCustomerCounts(report, start, end, paidBefore);
        // customerMrrAt keeps only paying customers
        for (const mrr of [start, end])
          for (const perCurrency of mrr.values())
            for (const value of perCurrency.values()) expect(value).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('byTier adds up to byCustomer per currency, and committed never exceeds it', () => {
    const mapping = { tiers: ['starter', 'professional'], byId: { prod_a: 'starter' } };
    fc.assert(
      fc.property(billingSnapshot, billingPolicy, (snapshot, p) => {
        const t = computeTotals(snapshot, NOW, p, mapping, ['paid']);
        for (const currency of currencies) {
          const tiers = [...t.byTier]
            .filter(([key]) => key.endsWith(`|${currency}`))
            .reduce((sum, [, v]) => sum + v, 0);
          const channels = [...t.byChannel]
            .filter(([key]) => key.endsWith(`|${currency}`))
            .reduce((sum, [, v]) => sum + v, 0);
          const customers = [...t.byCustomer.values()].reduce(
            (sum, m) => sum + (m.get(currency) ?? 0),
            0,
          );
          const tolerance = 1e-6 * Math.max(1, customers);
          expect(Math.abs(tiers - customers)).toBeLessThanOrEqual(tolerance);
          expect(Math.abs(channels - customers)).toBeLessThanOrEqual(tolerance);
          expect(t.committed.get(currency) ?? 0).toBeLessThanOrEqual(customers + tolerance);
        }
        // Every subscription that had started by then, under the status it had then.
        expect([...t.subscriptionsByStatus.values()].reduce((a, b) => a + b, 0)).toBe(
          snapshot.subscriptions.filter((s) => s.startedAt.getTime() <= NOW.getTime()).length,
        );
      }),
      { numRuns: RUNS },
    );
  });
});
