import pino from 'pino';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/app/config.js';
import { parseConfig } from '../../src/app/config.js';
import { createStripeBillingSource } from '../../src/billing/stripe-source.js';
import { billingMrr } from '../../src/collectors/billing-mrr.js';
import type { Sources } from '../../src/collectors/sources.js';
import { noDatabase } from '../../src/sources/no-database.js';
import {
  coupon,
  customer,
  discount,
  invoice,
  invoiceLine,
  price,
  product,
  subscription,
  unix,
} from '../fixtures/stripe-objects.js';
import { collectAt, seriesOfSamples } from '../helpers/collect-at.js';
import { FakeStripe } from '../helpers/fake-stripe.js';

/**
 * Billing as of past instants from Stripe, through the real SDK against the local
 * Stripe-compatible server: a subscription upgraded mid-period (another price, another quantity
 * and a coupon, the item's id kept as Stripe keeps it) is computed on what its paid invoices
 * billed before the change, on its current items after.
 */

const apiKey = 'sk_test_HistoryKey18';
const HOUR = 3600;
const DAY = 24 * HOUR;

const starter = price({
  id: 'price_starter',
  product: product('prod_starter', { tier: 'starter' }),
  unitAmount: 2900,
});
const business = price({
  id: 'price_business',
  product: product('prod_business', { tier: 'business' }),
  unitAmount: 9900,
});
const twentyOff = coupon({ id: 'co_twenty', percentOff: 20 });

/** A plan in force from `from` on: price, quantity, and a percent-off discount or none. */
interface Plan {
  readonly from: string;
  readonly price: Stripe.Price;
  readonly quantity: number;
  readonly percentOff: number;
}

// The fixture timeline. sub_up: starter x1 from 10 January 2025, billed monthly on the 10th;
// upgraded on 25 February at 12:00 to business x3 with 20% off. sub_flat: starter x2, billed on
// the 1st, never changed.
const timeline: Record<string, { anchorDay: number; plans: readonly Plan[] }> = {
  sub_up: {
    anchorDay: 10,
    plans: [
      { from: '2025-01-10T00:00:00Z', price: starter, quantity: 1, percentOff: 0 },
      { from: '2025-02-25T12:00:00Z', price: business, quantity: 3, percentOff: 20 },
    ],
  },
  sub_flat: {
    anchorDay: 1,
    plans: [{ from: '2024-11-01T00:00:00Z', price: starter, quantity: 2, percentOff: 0 }],
  },
};
const upgradeAt = '2025-02-25T12:00:00Z';

/** The plan of a subscription in force at t (ms): the last one that started by then. */
const planAt = (plans: readonly Plan[], t: number) =>
  [...plans].reverse().find((plan) => Date.parse(plan.from) <= t);

/** MRR in minor units by subscription at t, worked out from the timeline alone. */
function mrrAt(t: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [id, { plans }] of Object.entries(timeline)) {
    const plan = planAt(plans, t);
    if (!plan) continue;
    result[id] = (plan.price.unit_amount ?? 0) * plan.quantity * (1 - plan.percentOff / 100);
  }
  return result;
}

const tierOf = (p: Stripe.Price) =>
  typeof p.product === 'object' && !p.product.deleted ? (p.product.metadata.tier ?? '') : '';

const subscriptionDiscount = discount({
  id: 'di_twenty',
  coupon: twentyOff,
  customer: 'cus_up',
  subscription: 'sub_up',
  start: unix(upgradeAt),
});

/** The current state of each subscription: its last plan, on its original item. */
function currentSubscription(id: string, customerId: string): Stripe.Subscription {
  const plans = timeline[id]?.plans ?? [];
  const last = plans[plans.length - 1] as Plan;
  return subscription({
    id,
    customer: customerId,
    created: unix(plans[0]?.from ?? ''),
    items: [{ price: last.price, quantity: last.quantity }],
    discounts: last.percentOff > 0 ? [subscriptionDiscount] : [],
  });
}

/**
 * The paid invoices Stripe issued for a subscription's timeline, up to `until`: one per
 * monthly period, billing the plan in force at the period start, created at the period start
 * and paid an hour later; a renewal after a mid-period change also carries the proration
 * lines starting at the change.
 */
function invoicesOf(id: string, customerId: string, until: string): Stripe.Invoice[] {
  const { anchorDay, plans } = timeline[id] ?? { anchorDay: 1, plans: [] };
  const first = new Date(plans[0]?.from ?? '');
  const out: Stripe.Invoice[] = [];
  for (let m = 0; ; m += 1) {
    const start = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + m, anchorDay) / 1000;
    const end = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + m + 1, anchorDay) / 1000;
    if (start > unix(until)) return out;
    const invoiceId = `in_${id}_${m}`;
    const plan = planAt(plans, start * 1000) as Plan;
    const line = (suffix: string, p: Plan, from: number, to: number, proration: boolean) =>
      invoiceLine({
        id: `il_${invoiceId}_${suffix}`,
        invoice: invoiceId,
        subscription: id,
        subscriptionItem: `si_${id}_0`,
        price: p.price,
        quantity: p.quantity,
        amount: (p.price.unit_amount ?? 0) * p.quantity,
        start: from,
        end: to,
        proration,
      });
    const lines = [line('period', plan, start, end, false)];
    // Changes made during the previous period are prorated on this renewal.
    const previousStart = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + m - 1, anchorDay);
    for (const [i, change] of plans.entries()) {
      const at = Date.parse(change.from);
      const before = plans[i - 1];
      if (!before || at <= previousStart || at >= start * 1000) continue;
      lines.push(line(`unused${i}`, before, at / 1000, start, true));
      lines.push(line(`remaining${i}`, change, at / 1000, start, true));
    }
    const paid = invoice({
      id: invoiceId,
      customer: customerId,
      subscription: id,
      created: start,
      status: 'paid',
      finalizedAt: start + HOUR,
      lines,
      discounts: plan.percentOff > 0 ? [subscriptionDiscount] : [],
    });
    out.push(paid);
  }
}

const key = (labels: Record<string, string>) =>
  JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))));
const nonZero = (series: Record<string, number>) =>
  Object.fromEntries(Object.entries(series).filter(([, v]) => v !== 0));

describe('billing_mrr as of a past instant, from Stripe with paid invoices', () => {
  let fake: FakeStripe;
  let config: Config;
  /** The source's clock, ms: each round runs with it set to its instant. */
  let clock = 0;
  let sources: Sources;

  const data = () => ({
    prices: [starter, business],
    coupons: [twentyOff],
    customers: [customer({ id: 'cus_up' }), customer({ id: 'cus_flat' })],
    subscriptions: [
      currentSubscription('sub_up', 'cus_up'),
      currentSubscription('sub_flat', 'cus_flat'),
    ],
    invoices: [
      ...invoicesOf('sub_up', 'cus_up', '2025-04-30T00:00:00Z'),
      ...invoicesOf('sub_flat', 'cus_flat', '2025-04-30T00:00:00Z'),
    ],
  });

  function sourcesFor(f: FakeStripe): Sources {
    const stripe = createStripeBillingSource(
      {
        apiKey,
        ...f.clientOptions,
        maxRequestsPerSecond: 100,
        timeoutSeconds: 5,
        maxRetries: 1,
        fullSyncIntervalSeconds: 3600,
        now: () => clock,
      },
      pino({ level: 'silent' }),
    );
    return { app: noDatabase, events: noDatabase, stripe };
  }

  beforeAll(async () => {
    fake = await FakeStripe.start({ apiKey, data: data() });
    config = parseConfig({
      stripe: { apiKey },
      collectors: { billing_mrr: { source: 'stripe' } },
    });
    sources = sourcesFor(fake);
  });
  afterAll(async () => {
    await fake.close();
  });

  async function at(iso: string) {
    const instant = new Date(iso);
    clock = instant.getTime();
    const { samples, rejected } = await collectAt(billingMrr, config, sources, instant);
    expect(rejected).toEqual([]);
    return (metric: string) => seriesOfSamples(samples, metric);
  }

  /** chom_revenue_mrr's non-zero series at t from the timeline (major units). */
  function expectedMrr(t: number): Record<string, number> {
    const result: Record<string, number> = {};
    for (const [id, amount] of Object.entries(mrrAt(t))) {
      const plan = planAt(timeline[id]?.plans ?? [], t) as Plan;
      const k = key({ tier: tierOf(plan.price), currency: 'USD' });
      result[k] = (result[k] ?? 0) + amount / 100;
    }
    return result;
  }

  it.each([
    ['mid-February, before the upgrade', '2025-02-20T12:00:00Z', 'invoice_lines'],
    [
      'an hour before the upgrade, in the period it prorates',
      '2025-02-25T11:00:00Z',
      'invoice_lines',
    ],
    ['an hour after the upgrade', '2025-02-25T13:00:00Z', 'current_items'],
    ['the first hour of February', '2025-02-01T00:30:00Z', 'invoice_lines'],
    ['the last hour of February', '2025-02-28T23:30:00Z', 'current_items'],
    ['the 1st of March, half an hour in', '2025-03-01T00:30:00Z', 'current_items'],
    ['mid-April, two renewals later', '2025-04-15T12:00:00Z', 'current_items'],
  ])('equals the timeline at %s', async (_name, iso, upgradedBasis) => {
    const series = await at(iso);
    const t = Date.parse(iso);
    const mrr = nonZero(series('chom_revenue_mrr'));
    const want = expectedMrr(t);
    expect(Object.keys(mrr).sort()).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) expect(mrr[k]).toBeCloseTo(v, 9);
    // sub_flat never changed: its current items. sub_up: the invoice before the upgrade.
    const bases: Record<string, number> = {};
    for (const basis of ['current_items', upgradedBasis]) {
      bases[key({ source: 'stripe', basis })] = (bases[key({ source: 'stripe', basis })] ?? 0) + 1;
    }
    expect(nonZero(series('chom_billing_history_basis'))).toEqual(bases);
  });

  it('puts the upgrade in February: expansion in February, in March the opening', async () => {
    const monthStart = (iso: string) =>
      Date.UTC(new Date(iso).getUTCFullYear(), new Date(iso).getUTCMonth(), 1);
    const total = (t: number) => Object.values(mrrAt(t)).reduce((a, b) => a + b, 0) / 100;
    const february = await at('2025-02-28T23:30:00Z');
    const febStart = monthStart('2025-02-28T23:30:00Z');
    const expansion =
      ((mrrAt(Date.parse('2025-02-28T23:30:00Z')).sub_up ?? 0) - (mrrAt(febStart).sub_up ?? 0)) /
      100;
    expect(
      february('chom_revenue_mrr_movement')[key({ movement: 'expansion', currency: 'USD' })],
    ).toBeCloseTo(expansion, 9);
    expect(february('chom_revenue_mrr_month_start')[key({ currency: 'USD' })]).toBeCloseTo(
      total(febStart),
      9,
    );
    const march = await at('2025-03-01T00:30:00Z');
    expect(
      march('chom_revenue_mrr_movement')[key({ movement: 'expansion', currency: 'USD' })],
    ).toBe(0);
    expect(march('chom_revenue_mrr_month_start')[key({ currency: 'USD' })]).toBeCloseTo(
      total(monthStart('2025-03-01T00:30:00Z')),
      9,
    );
  });

  it('computes on the current items, without failing, when the key may not read invoices', async () => {
    const denied = await FakeStripe.start({ apiKey, data: data() });
    try {
      denied.deny('invoices');
      const instant = new Date('2025-02-20T12:00:00Z');
      clock = instant.getTime();
      const { samples, rejected } = await collectAt(
        billingMrr,
        config,
        sourcesFor(denied),
        instant,
      );
      expect(rejected).toEqual([]);
      expect(denied.requestsTo('invoices').map((r) => r.status)).toEqual([403]);
      // sub_up's current items stand in for the starter plan it had then.
      expect(
        nonZero(seriesOfSamples(samples, 'chom_revenue_mrr'))[
          key({ tier: 'business', currency: 'USD' })
        ],
      ).toBeCloseTo((9900 * 3 * 0.8) / 100, 9);
      expect(nonZero(seriesOfSamples(samples, 'chom_billing_history_basis'))).toEqual({
        [key({ source: 'stripe', basis: 'current_items' })]: 2,
      });
    } finally {
      await denied.close();
    }
  });

  it('reads the paid invoices once, then one request a round for the new ones', async () => {
    const own = await FakeStripe.start({ apiKey, data: data() });
    try {
      const counted = sourcesFor(own);
      const round = async (iso: string, sourceClock: number) => {
        clock = sourceClock;
        const before = own.requests.length;
        const { rejected } = await collectAt(billingMrr, config, counted, new Date(iso));
        expect(rejected).toEqual([]);
        return own.requests.slice(before);
      };
      const first = Date.parse('2025-02-20T12:00:00Z');
      const initial = await round('2025-02-20T12:00:00Z', first);
      // The full sync's four lists, and the paid invoices: `since` is 30 days before the
      // instant (before the month's start), and the list goes 32 days further back.
      expect(initial.map((r) => r.path)).toEqual([
        '/v1/prices',
        '/v1/coupons',
        '/v1/customers',
        '/v1/subscriptions',
        '/v1/invoices',
      ]);
      const paid = initial[4];
      expect(paid?.query.status).toBe('paid');
      expect(Number(paid?.query['created[gte]'])).toBe((first - 30 * DAY * 1000) / 1000 - 32 * DAY);
      expect(paid?.expand).toEqual([
        'data.discounts',
        'data.discounts.source.coupon',
        'data.lines.data.discounts',
      ]);

      // Ten minutes on, nothing changed: the events poll and one page of new invoices, from
      // three hours before the previous list (a renewal is paid about an hour after creation).
      const later = await round('2025-02-20T12:10:00Z', first + 10 * 60_000);
      expect(later.map((r) => r.path)).toEqual(['/v1/events', '/v1/invoices']);
      expect(Number(later[1]?.query['created[gte]'])).toBe(first / 1000 - 3 * HOUR);
      expect(later[1]?.query['created[lt]']).toBeUndefined();

      // A step further back than read so far reads only the stretch before it, then the new ones.
      const earlier = await round('2025-01-05T00:00:00Z', first + 20 * 60_000);
      const invoiceLists = earlier.filter((r) => r.path === '/v1/invoices');
      expect(invoiceLists).toHaveLength(2);
      const readFrom = (first - 30 * DAY * 1000) / 1000 - 32 * DAY;
      expect(Number(invoiceLists[0]?.query['created[lt]'])).toBe(readFrom);
      expect(Number(invoiceLists[0]?.query['created[gte]'])).toBe(
        Date.parse('2024-12-06T00:00:00Z') / 1000 - 32 * DAY,
      );
      expect(earlier.filter((r) => r.path !== '/v1/invoices').map((r) => r.path)).toEqual([
        '/v1/events',
      ]);
    } finally {
      await own.close();
    }
  });

  it('retrieves an invoice paid long after it was created, named by its invoice.paid event', async () => {
    // sub_steps moves up a plan at each renewal: starter from 10 January, pro from 10 February,
    // business from 10 March. Only its February invoice shows pro, and that invoice stays open
    // until 11 March: the first round does not list it, later rounds list only the invoices
    // created in the last hours, and nothing else dates pro.
    const pro = price({
      id: 'price_pro',
      product: product('prod_pro', { tier: 'professional' }),
      unitAmount: 4900,
    });
    const periods = [
      { m: 0, start: '2025-01-10T00:00:00Z', end: '2025-02-10T00:00:00Z', price: starter },
      { m: 1, start: '2025-02-10T00:00:00Z', end: '2025-03-10T00:00:00Z', price: pro },
      { m: 2, start: '2025-03-10T00:00:00Z', end: '2025-04-10T00:00:00Z', price: business },
    ];
    const stepInvoices = periods.map(({ m, start, end, price: p }) =>
      invoice({
        id: `in_steps_${m}`,
        customer: 'cus_steps',
        subscription: 'sub_steps',
        created: unix(start),
        status: m === 1 ? 'open' : 'paid',
        finalizedAt: unix(start) + HOUR,
        lines: [
          invoiceLine({
            id: `il_steps_${m}`,
            invoice: `in_steps_${m}`,
            subscription: 'sub_steps',
            subscriptionItem: 'si_steps_0',
            price: p,
            quantity: 1,
            amount: p.unit_amount ?? 0,
            start: unix(start),
            end: unix(end),
            proration: false,
          }),
        ],
        discounts: [],
      }),
    );
    const own = await FakeStripe.start({
      apiKey,
      data: {
        prices: [starter, pro, business],
        coupons: [],
        customers: [customer({ id: 'cus_steps' })],
        subscriptions: [
          subscription({
            id: 'sub_steps',
            customer: 'cus_steps',
            created: unix('2025-01-10T00:00:00Z'),
            items: [{ price: business, quantity: 1 }],
            discounts: [],
          }),
        ],
        invoices: stepInvoices,
      },
    });
    try {
      const counted = sourcesFor(own);
      const instant = new Date('2025-02-20T12:00:00Z');
      const now = Date.parse('2025-03-11T12:00:00Z');
      const round = async (sourceClock: number) => {
        clock = sourceClock;
        const before = own.requests.length;
        const { samples, rejected } = await collectAt(billingMrr, config, counted, instant);
        expect(rejected).toEqual([]);
        return {
          mrr: nonZero(seriesOfSamples(samples, 'chom_revenue_mrr')),
          basis: nonZero(seriesOfSamples(samples, 'chom_billing_history_basis')),
          requests: own.requests.slice(before),
        };
      };
      const proKey = key({ tier: 'professional', currency: 'USD' });
      const first = await round(now);
      expect(first.mrr[proKey]).toBeUndefined();

      const late = stepInvoices[1] as Stripe.Invoice;
      const paidNow: Stripe.Invoice = { ...late, status: 'paid' };
      own.emit('invoice.paid', paidNow, { created: now / 1000 + 60 });
      const second = await round(now + 10 * 60_000);
      // The round's list starts three hours before the previous one, weeks after the invoice.
      const listed = second.requests.find((r) => r.path === '/v1/invoices');
      expect(Number(listed?.query['created[gte]'])).toBeGreaterThan(late.created);
      const retrieved = second.requests.filter((r) => r.path === `/v1/invoices/${late.id}`);
      expect(retrieved.map((r) => r.expand)).toEqual([
        ['discounts', 'discounts.source.coupon', 'lines.data.discounts'],
      ]);
      // The 20th of February is now computed on what that invoice billed: pro.
      expect(second.mrr).toEqual({ [proKey]: 49 });
      expect(second.basis).toEqual({ [key({ source: 'stripe', basis: 'invoice_lines' })]: 1 });

      // Retrieved once: the next round asks for it no more.
      const third = await round(now + 20 * 60_000);
      expect(third.requests.some((r) => r.path === `/v1/invoices/${late.id}`)).toBe(false);
      expect(third.mrr).toEqual({ [proKey]: 49 });
    } finally {
      await own.close();
    }
  });
});
