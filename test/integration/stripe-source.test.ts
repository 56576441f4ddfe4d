import { Writable } from 'node:stream';
import pino from 'pino';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { computeTotals } from '../../src/billing/aggregate.js';
import { defaultBillingPolicy } from '../../src/billing/policy.js';
import {
  createStripeBillingSource,
  StripeSourceError,
  type StripeSourceOptions,
} from '../../src/billing/stripe-source.js';
import { subscriptionStatuses } from '../../src/billing/types.js';
import {
  coupon,
  customer,
  discount,
  invoice,
  price,
  product,
  subscription,
  unix,
} from '../fixtures/stripe-objects.js';
import { FakeStripe, type FakeStripeData } from '../helpers/fake-stripe.js';

const apiKey = 'sk_test_GoodKey4242';

const fakes: FakeStripe[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function startFake(data: Partial<FakeStripeData>, latencyMs = 0): Promise<FakeStripe> {
  const fake = await FakeStripe.start({ apiKey, data, latencyMs });
  fakes.push(fake);
  return fake;
}

/** A pino logger whose lines the test can read. */
function capturedLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = pino({ level: 'debug' }, stream);
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, lines, entries };
}

function sourceFor(fake: FakeStripe, overrides: Partial<StripeSourceOptions> = {}) {
  const captured = capturedLog();
  const options: StripeSourceOptions = {
    apiKey,
    ...fake.clientOptions,
    maxRequestsPerSecond: 100,
    timeoutSeconds: 5,
    maxRetries: 4,
    ...overrides,
  };
  return { source: createStripeBillingSource(options, captured.log), ...captured };
}

const load = (
  source: ReturnType<typeof sourceFor>['source'],
  signal = new AbortController().signal,
) =>
  source.loadSnapshot(signal, (reason, detail) => {
    throw new Error(`unexpected rejection ${reason}: ${JSON.stringify(detail)}`);
  });

// ---------------------------------------------------------------- a large account

const starter = product('prod_starter', { tier: 'starter' });
const pro = product('prod_pro', { tier: 'professional' });
const enterprise = product('prod_ent', { tier: 'enterprise' });
const starterMonthly = price({ id: 'price_starter_m', product: starter, unitAmount: 1500 });
const proMonthly = price({ id: 'price_pro_m', product: pro, unitAmount: 4900 });
const proYen = price({ id: 'price_pro_jpy', product: pro, currency: 'jpy', unitAmount: 5000 });
const entTiered = price({
  id: 'price_ent_tiered',
  product: enterprise,
  tiersMode: 'graduated',
  tiers: [
    { upTo: 10, unitAmount: 1000, flatAmount: 5000 },
    { upTo: null, unitAmount: 800 },
  ],
});
const quarter = coupon({ id: 'co_25', percentOff: 25 });
const entOnly = coupon({
  id: 'co_10_ent',
  percentOff: 10,
  duration: 'repeating',
  durationInMonths: 3,
  appliesTo: ['prod_ent'],
});
const loyalty = coupon({ id: 'co_1200', amountOff: 1200, currency: 'usd' });

const statuses = subscriptionStatuses;
const subscriptionCount = 1_050;
const customerCount = 300;
const base = unix('2025-01-01T00:00:00Z');

/** 1 050 subscriptions over 300 customers, every status, four prices, three kinds of discount. */
function largeAccount(): FakeStripeData {
  const customers = Array.from({ length: customerCount }, (_, c) =>
    customer({
      id: `cus_${c}`,
      created: base + c,
      metadata: { channel: ['paid', 'organic', 'referral'][c % 3] ?? 'paid' },
      // Every 7th customer has a discount of their own, inherited by subscriptions without one.
      discount:
        c % 7 === 0 ? discount({ id: `di_cus_${c}`, coupon: loyalty, customer: `cus_${c}` }) : null,
    }),
  );
  const subscriptions = Array.from({ length: subscriptionCount }, (_, i) => {
    const id = `sub_${String(i).padStart(4, '0')}`;
    const customerId = `cus_${i % customerCount}`;
    const status = statuses[i % statuses.length] ?? 'active';
    const kind = i % 4;
    const item =
      kind === 0
        ? { price: starterMonthly, quantity: 1 + (i % 5) }
        : kind === 1
          ? { price: proMonthly, quantity: 2 }
          : kind === 2
            ? {
                price: entTiered,
                quantity: 15,
                discounts: [
                  discount({ id: `di_item_${i}`, coupon: entOnly, customer: customerId }),
                ],
              }
            : { price: proYen, quantity: 3 };
    return subscription({
      id,
      customer: customerId,
      status,
      currency: kind === 3 ? 'jpy' : 'usd',
      created: base + 1_000 + i,
      items: [item],
      discounts:
        i % 10 === 5
          ? [discount({ id: `di_sub_${i}`, coupon: quarter, customer: customerId })]
          : [],
      latestInvoice: invoice({ id: `in_${i}`, customer: customerId, created: base + 50_000 + i }),
      canceledAt: status === 'canceled' ? base + 60_000 : null,
      endedAt: status === 'canceled' ? base + 60_000 : null,
    });
  });
  // The failing renewal of each past-due or unpaid subscription, listed by subscription.
  const invoices = subscriptions
    .filter((sub) => sub.status === 'past_due' || sub.status === 'unpaid')
    .map((sub) =>
      invoice({
        id: `in_${sub.id}`,
        customer: String(sub.customer),
        subscription: sub.id,
        created: base + 50_000 + Number(sub.id.slice(4)),
      }),
    );
  return {
    subscriptions,
    customers,
    prices: [starterMonthly, proMonthly, proYen, entTiered],
    coupons: [quarter, entOnly, loyalty],
    invoices,
  };
}

describe('Stripe source against a fake Stripe', () => {
  it('reads every page of a large account with status=all and the expansions it needs', async () => {
    const data = largeAccount();
    const fake = await startFake(data);
    const { source, entries } = sourceFor(fake);
    const snapshot = await load(source);

    // 1 050 subscriptions in pages of 100: 11 requests, each continuing after the last id.
    const newestFirst = [...data.subscriptions]
      .sort((a, b) => b.created - a.created)
      .map((s) => s.id);
    const subRequests = fake.requestsTo('subscriptions');
    expect(subRequests).toHaveLength(11);
    subRequests.forEach((request, page) => {
      expect(request.query.limit).toBe('100');
      expect(request.query.status).toBe('all');
      expect(request.query.starting_after).toBe(
        page === 0 ? undefined : newestFirst[page * 100 - 1],
      );
      expect(request.stripeVersion).toBe(Stripe.API_VERSION);
    });
    expect(subRequests[0]?.expand).toEqual([
      'data.discounts',
      'data.discounts.source.coupon',
      'data.items.data.discounts',
    ]);
    expect(fake.requestsTo('customers')).toHaveLength(3);
    expect(fake.requestsTo('prices')[0]?.expand).toEqual([
      'data.tiers',
      'data.product',
      'data.currency_options',
    ]);

    // Nothing lost, every status present, in the same numbers.
    expect(snapshot.subscriptions.map((s) => s.id).sort()).toEqual([...newestFirst].sort());
    const counted = (list: readonly { status: string }[]) =>
      Object.fromEntries(statuses.map((st) => [st, list.filter((s) => s.status === st).length]));
    expect(counted(snapshot.subscriptions)).toEqual(counted(data.subscriptions));
    for (const status of statuses)
      expect(counted(snapshot.subscriptions)[status]).toBeGreaterThan(100);
    expect(snapshot.customers).toHaveLength(customerCount);
    expect(snapshot.customers.find((c) => c.id === 'cus_4')?.channel).toBe('organic');

    const byId = new Map(snapshot.subscriptions.map((s) => [s.id, s]));
    // Tiered price: tiers come from the price list (the item's embedded price has none).
    const tiered = byId.get('sub_0002');
    expect(tiered?.items[0]?.price).toMatchObject({
      billingScheme: 'tiered',
      tiersMode: 'graduated',
      tier: 'enterprise',
      tiers: [
        { upTo: 10, unitAmount: 1000, flatAmount: 5000 },
        { upTo: null, unitAmount: 800, flatAmount: 0 },
      ],
    });
    // Item coupon arrives as an id; applies_to comes from the coupon list.
    expect(tiered?.items[0]?.discounts).toEqual([
      { duration: 'repeating', percentOff: 10, end: undefined, appliesToProducts: ['prod_ent'] },
    ]);
    // Subscription coupon arrives expanded.
    expect(byId.get('sub_0005')?.discounts).toEqual([
      { duration: 'forever', percentOff: 25, end: undefined, appliesToProducts: undefined },
    ]);
    // sub_0007's customer cus_7 has a discount; the subscription has none of its own.
    expect(byId.get('sub_0007')?.discounts).toEqual([
      {
        duration: 'forever',
        amountOff: 1200,
        currency: 'usd',
        end: undefined,
        appliesToProducts: undefined,
      },
    ]);
    expect(byId.get('sub_0001')?.discounts).toEqual([]);
    // Zero-decimal currency: yen amounts are whole yen, untouched.
    expect(byId.get('sub_0003')).toMatchObject({ currency: 'jpy' });
    expect(byId.get('sub_0003')?.items[0]?.price.unitAmount).toBe(5000);
    // past_due (i % 8 === 1) is dated from its unpaid invoice, listed by subscription:
    // one invoices request per past-due or unpaid subscription.
    expect(byId.get('sub_0001')?.status).toBe('past_due');
    expect(byId.get('sub_0001')?.pastDueSince).toEqual(new Date((base + 50_001) * 1000));
    expect(byId.get('sub_0006')?.endedAt).toEqual(new Date((base + 60_000) * 1000));
    const dunning = data.subscriptions.filter((s) => ['past_due', 'unpaid'].includes(s.status));
    const invoiceRequests = fake.requestsTo('invoices');
    expect(invoiceRequests.map((r) => r.query.subscription).sort()).toEqual(
      dunning.map((s) => s.id).sort(),
    );

    // A long sync says how far it got every ten pages.
    const progress = entries().filter((e) => e.msg === 'Stripe sync in progress');
    expect(progress).toEqual([
      expect.objectContaining({ resource: 'subscriptions', pages: 10, objects: 1000 }),
    ]);
  });

  it('completes a throttled sync with every request made once', async () => {
    // The spacing itself is tested with a fake clock in src/billing/token-bucket.test.ts:
    // arrival times at a server depend on machine load.
    const fake = await startFake({ prices: [starterMonthly] });
    const { source } = sourceFor(fake, { maxRequestsPerSecond: 5 });
    await load(source);
    expect(fake.requests.map((r) => r.path).sort()).toEqual([
      '/v1/coupons',
      '/v1/customers',
      '/v1/prices',
      '/v1/subscriptions',
    ]);
  });
});

// ---------------------------------------------------------------- failures

const small = (): FakeStripeData => ({
  prices: [starterMonthly],
  coupons: [quarter],
  customers: [customer({ id: 'cus_1', metadata: { channel: 'paid' } })],
  subscriptions: [
    subscription({
      id: 'sub_1',
      customer: 'cus_1',
      items: [{ price: starterMonthly, quantity: 2 }],
    }),
    subscription({
      id: 'sub_2',
      customer: 'cus_1',
      status: 'canceled',
      items: [{ price: starterMonthly }],
    }),
  ],
});

describe('Stripe source failures', () => {
  it('waits Retry-After after a 429 and then completes the snapshot', async () => {
    const fake = await startFake(small());
    const { source: reference } = sourceFor(fake);
    const expected = await load(reference);
    fake.requests.length = 0;

    fake.injectFaults('rate_limit', 1);
    const { source, entries } = sourceFor(fake);
    const snapshot = await load(source);
    const [limited, retried] = fake.requestsTo('prices');
    expect(limited?.status).toBe(429);
    expect(retried?.status).toBe(200);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(990);
    expect(snapshot).toEqual(expected);
    expect(entries().find((e) => e.msg === 'retrying a Stripe request')).toMatchObject({
      resource: 'prices',
      page: 1,
      waitMs: 1000,
    });
  });

  it('treats a 400 with code rate_limit as a rate limit too', async () => {
    const fake = await startFake(small());
    fake.injectFaults('rate_limit_400', 1, { retryAfterSeconds: 0 });
    const { source } = sourceFor(fake);
    const snapshot = await load(source);
    expect(fake.requestsTo('prices').map((r) => r.status)).toEqual([400, 200]);
    expect(snapshot.subscriptions).toHaveLength(2);
  });

  it('retries a 500 and completes the snapshot', async () => {
    const fake = await startFake(small());
    fake.injectFaults('server_error', 1);
    const { source } = sourceFor(fake);
    const snapshot = await load(source);
    expect(fake.requestsTo('prices').map((r) => r.status)).toEqual([500, 200]);
    expect(snapshot.subscriptions.map((s) => s.id).sort()).toEqual(['sub_1', 'sub_2']);
  });

  it('retries a dropped connection', async () => {
    const fake = await startFake(small());
    // The SDK itself retries one closed connection even with retries off; the second is ours.
    fake.injectFaults('drop_connection', 2);
    const { source } = sourceFor(fake);
    const snapshot = await load(source);
    expect(fake.requestsTo('prices').map((r) => r.status)).toEqual([0, 0, 200]);
    expect(snapshot.subscriptions).toHaveLength(2);
  });

  it('gives up after maxRetries 500s with a clear error', async () => {
    const fake = await startFake(small());
    fake.injectFaults('server_error', 10);
    const { source } = sourceFor(fake, { maxRetries: 2 });
    const error = await load(source).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StripeSourceError);
    expect((error as Error).message).toMatch(
      /kept failing while listing prices \(page 1\): HTTP 500.*after 2 retries/,
    );
    expect(fake.requestsTo('prices')).toHaveLength(3);
  });

  it('fails at once on an invalid key, without the key in the error or the log', async () => {
    const fake = await startFake(small());
    const wrongKey = 'sk_test_WrongKey999';
    const { source, lines } = sourceFor(fake, { apiKey: wrongKey });
    const error = await load(source).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StripeSourceError);
    const message = (error as Error).message;
    expect(message).toMatch(/rejected the API key \(401\).*invalid, expired or revoked/);
    expect(message).not.toContain(wrongKey);
    expect(JSON.stringify(error)).not.toContain(wrongKey);
    expect(String((error as Error).stack)).not.toContain(wrongKey);
    expect(lines.join('')).not.toContain(wrongKey);
    expect(fake.requests).toHaveLength(1);
  });

  it('fails at once when the key may not read a list (403), without the key', async () => {
    const fake = await startFake(small());
    fake.deny('coupons');
    const { source } = sourceFor(fake);
    const error = await load(source).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /not allowed to read this \(403\) while listing coupons/,
    );
    expect((error as Error).message).not.toContain(apiKey);
    expect(fake.requestsTo('coupons')).toHaveLength(1);
  });

  it('fails with a clear error on a body that is not JSON', async () => {
    const fake = await startFake(small());
    fake.injectFaults('malformed_json', 1);
    const { source } = sourceFor(fake);
    const error = await load(source).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StripeSourceError);
    expect((error as Error).message).toMatch(/listing prices \(page 1\) is not valid JSON/);
    expect(fake.requests).toHaveLength(1);
  });

  it('stops when the signal fires during a request, and asks for no further page', async () => {
    // The fake answers after 2 minutes, beyond the test's timeout: only an
    // abandoned request lets the load reject in time.
    const fake = await startFake(small(), 120_000);
    const { source } = sourceFor(fake);
    const controller = new AbortController();
    const reason = new Error('run timed out');
    setTimeout(() => controller.abort(reason), 100);
    await expect(load(source, controller.signal)).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(fake.requests).toHaveLength(1);
  });

  it('stops when the signal fires while waiting out a Retry-After', async () => {
    const fake = await startFake(small());
    // A 120 s Retry-After outlasts the test's timeout: only an interrupted wait rejects in time.
    fake.injectFaults('rate_limit', 1, { retryAfterSeconds: 120 });
    const { source } = sourceFor(fake);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 300);
    await expect(load(source, controller.signal)).rejects.toThrow('stop');
    expect(fake.requests).toHaveLength(1);
  });

  it('sends nothing when the signal has already fired', async () => {
    const fake = await startFake(small());
    const { source } = sourceFor(fake);
    await expect(load(source, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(fake.requests).toHaveLength(0);
  });
});

// ---------------------------------------------------------------- the numbers, end to end

describe('Stripe snapshot through computeTotals', () => {
  it('gives the hand-computed MRR per tier and currency', async () => {
    const at = new Date('2026-06-15T00:00:00Z');
    const created = (day: string) => unix(`2026-${day}T00:00:00Z`);
    const starterYearly = price({
      id: 'price_starter_y',
      product: starter,
      unitAmount: 12000,
      interval: 'year',
    });
    const starterFractional = price({
      id: 'price_starter_dec',
      product: starter,
      unitAmount: 1501,
      unitAmountDecimal: '1500.5',
    });
    const metered = price({ id: 'price_api', product: pro, unitAmount: 2, usageType: 'metered' });
    const tenPercentEnt = coupon({
      id: 'co_10_ent',
      percentOff: 10,
      duration: 'repeating',
      durationInMonths: 3,
      appliesTo: ['prod_ent'],
    });
    const sub = (
      id: string,
      cus: string,
      day: string,
      rest: Partial<Parameters<typeof subscription>[0]> & {
        items: Parameters<typeof subscription>[0]['items'];
      },
    ) => subscription({ id, customer: cus, created: created(day), ...rest });
    const data: FakeStripeData = {
      prices: [proMonthly, metered, starterYearly, entTiered, proYen, starterFractional],
      coupons: [quarter, loyalty, tenPercentEnt],
      customers: [
        customer({ id: 'cus_a', metadata: { channel: 'paid' } }),
        customer({
          id: 'cus_b',
          metadata: { channel: 'organic' },
          discount: discount({ id: 'di_b', coupon: loyalty, customer: 'cus_b' }),
        }),
        customer({ id: 'cus_c', metadata: { channel: 'referral' } }),
        customer({ id: 'cus_d', metadata: { channel: 'paid' } }),
        customer({ id: 'cus_h' }),
        customer({ id: 'cus_i', metadata: { channel: 'paid' } }),
      ],
      subscriptions: [
        // A: 3 × 4 900 = 14 700, 25 % off forever → 11 025 (professional, usd). The metered item adds nothing.
        sub('sub_a', 'cus_a', '01-01', {
          items: [{ price: proMonthly, quantity: 3 }, { price: metered }],
          discounts: [discount({ id: 'di_a', coupon: quarter, customer: 'cus_a' })],
        }),
        // B: 12 000 a year = 1 000 a month; the customer's 1 200 off each (yearly) invoice
        // is 100 a month → 900 (starter, usd).
        sub('sub_b', 'cus_b', '01-02', { items: [{ price: starterYearly, quantity: 1 }] }),
        // C: graduated 15 units: 10 × 1 000 + 5 000 flat, then 5 × 800 = 19 000; 10 % off
        // the enterprise product until September → 17 100 (enterprise, usd).
        sub('sub_c', 'cus_c', '01-03', {
          items: [
            {
              price: entTiered,
              quantity: 15,
              discounts: [
                discount({
                  id: 'di_c',
                  coupon: tenPercentEnt,
                  customer: 'cus_c',
                  end: created('09-01'),
                }),
              ],
            },
          ],
        }),
        // D: 2 × ¥5 000 = ¥10 000 (professional, jpy); yen have no minor unit.
        sub('sub_d', 'cus_d', '01-04', {
          currency: 'jpy',
          items: [{ price: proYen, quantity: 2 }],
        }),
        // E: still in trial at `at` → 0.
        sub('sub_e', 'cus_a', '06-01', {
          status: 'trialing',
          trialEnd: created('07-01'),
          items: [{ price: proMonthly }],
        }),
        // F: canceled and ended in May → 0.
        sub('sub_f', 'cus_a', '01-05', {
          status: 'canceled',
          canceledAt: created('05-01'),
          endedAt: created('05-01'),
          items: [{ price: proMonthly }],
        }),
        // G: past due since 1 May (its unpaid invoice), beyond the 30-day grace → 0.
        sub('sub_g', 'cus_h', '01-06', {
          status: 'past_due',
          items: [{ price: starterFractional }],
        }),
        // H: past due since 10 June, within grace → 1 500.5 from unit_amount_decimal, not the
        // rounded 1 501 (starter, usd).
        sub('sub_h', 'cus_h', '01-07', {
          status: 'past_due',
          items: [{ price: starterFractional }],
        }),
        // I: cancels at period end; under period_end churn it still counts 4 900 (professional,
        // usd), but not in committed MRR.
        sub('sub_i', 'cus_i', '01-08', {
          cancelAtPeriodEnd: true,
          canceledAt: created('06-01'),
          items: [{ price: proMonthly, quantity: 1 }],
        }),
      ],
      invoices: [
        invoice({
          id: 'in_g',
          customer: 'cus_h',
          subscription: 'sub_g',
          created: created('05-01'),
        }),
        invoice({
          id: 'in_h',
          customer: 'cus_h',
          subscription: 'sub_h',
          created: created('06-10'),
        }),
      ],
    };
    const fake = await startFake(data);
    const { source } = sourceFor(fake);
    const snapshot = await load(source);
    const totals = computeTotals(
      snapshot,
      at,
      defaultBillingPolicy,
      { tiers: ['starter', 'professional', 'enterprise'], byId: {} },
      ['organic', 'paid', 'referral'],
    );
    expect(Object.fromEntries(totals.byTier)).toEqual({
      'professional|usd': 11_025 + 4_900, // A + I
      'starter|usd': 900 + 1_500.5, // B + H
      'enterprise|usd': 17_100, // C
      'professional|jpy': 10_000, // D
    });
    // Committed leaves out I (cancellation scheduled): 15 925 − 4 900 + 2 400.5 + 17 100.
    expect(Object.fromEntries(totals.committed)).toEqual({ usd: 30_525.5, jpy: 10_000 });
    expect(Object.fromEntries(totals.byChannel)).toEqual({
      'paid|usd': 11_025 + 4_900,
      'organic|usd': 900,
      'referral|usd': 17_100,
      'other|usd': 1_500.5, // cus_h has no channel
      'paid|jpy': 10_000,
    });
    expect(Object.fromEntries(totals.subscriptionsByStatus)).toEqual({
      active: 5,
      trialing: 1,
      canceled: 1,
      past_due: 2,
    });
  });
});
