import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import type Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createStripeBillingSource,
  type StripeBillingSource,
  type StripeSourceOptions,
} from '../../src/billing/stripe-source.js';
import type { BillingSnapshot } from '../../src/billing/types.js';
import {
  coupon,
  customer,
  discount,
  invoice,
  price,
  product,
  subscription,
} from '../fixtures/stripe-objects.js';
import { FakeStripe, type FakeStripeData } from '../helpers/fake-stripe.js';

/**
 * Incremental sync: after a full sync, a round reads the events since the last
 * one and fetches again only what they name. The reference for every check is
 * a fresh source doing a full sync of the same fake account: incremental
 * rounds must end up with exactly the snapshot a full sync would give.
 */
const apiKey = 'sk_test_Incremental42';

const fakes: FakeStripe[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

const starter = product('prod_starter', { tier: 'starter' });
const pro = product('prod_pro', { tier: 'professional' });
const starterMonthly = price({ id: 'price_starter', product: starter, unitAmount: 1500 });
const proMonthly = price({ id: 'price_pro', product: pro, unitAmount: 4900 });
const half = coupon({ id: 'co_half', percentOff: 50 });
const tenOff = coupon({ id: 'co_ten', amountOff: 1000, currency: 'usd' });

function account(subscriptions = 250): FakeStripeData {
  const customers = Array.from({ length: 50 }, (_, c) =>
    customer({ id: `cus_${c}`, created: 1_700_000_000 + c, metadata: { channel: 'organic' } }),
  );
  return {
    prices: [starterMonthly, proMonthly],
    coupons: [half, tenOff],
    customers,
    subscriptions: Array.from({ length: subscriptions }, (_, i) =>
      subscription({
        id: `sub_${String(i).padStart(4, '0')}`,
        customer: `cus_${i % 50}`,
        created: 1_700_000_000 + i,
        items: [{ price: i % 2 ? proMonthly : starterMonthly, quantity: 1 + (i % 3) }],
      }),
    ),
  };
}

interface Counted {
  readonly source: StripeBillingSource;
  readonly requests: { list: number; retrieve: number; events: number };
  readonly syncs: { full: number; incremental: number };
}

/** A logger whose lines the test reads, as parsed JSON. */
function capturedLog() {
  const entries: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      entries.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const warnings = () => entries.filter((entry) => entry.level === 40);
  return { log: pino({ level: 'info' }, stream), entries, warnings };
}

function sourceFor(
  fake: FakeStripe,
  overrides: Partial<StripeSourceOptions> = {},
  log: Logger = pino({ level: 'silent' }),
): Counted {
  const source = createStripeBillingSource(
    {
      apiKey,
      ...fake.clientOptions,
      maxRequestsPerSecond: 100,
      timeoutSeconds: 5,
      maxRetries: 1,
      fullSyncIntervalSeconds: 3600,
      ...overrides,
    },
    log,
  );
  const requests = { list: 0, retrieve: 0, events: 0 };
  const syncs = { full: 0, incremental: 0 };
  source.observe({
    onRequest: (kind) => {
      requests[kind] += 1;
    },
    onSync: (mode) => {
      syncs[mode] += 1;
    },
  });
  return { source, requests, syncs };
}

async function start(data: FakeStripeData): Promise<FakeStripe> {
  const fake = await FakeStripe.start({ apiKey, data });
  fakes.push(fake);
  return fake;
}

const load = (source: StripeBillingSource) =>
  source.loadSnapshot(new AbortController().signal, (reason, detail) => {
    throw new Error(`unexpected rejection ${reason}: ${JSON.stringify(detail)}`);
  });

/** Order-free form of a snapshot, to compare incremental and full results. */
function canonical(snapshot: BillingSnapshot) {
  return {
    subscriptions: [...snapshot.subscriptions].sort((a, b) => a.id.localeCompare(b.id)),
    customers: [...snapshot.customers].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

/** What a full sync of the fake account gives right now. */
async function fullSnapshot(fake: FakeStripe) {
  const { source } = sourceFor(fake, { fullSyncIntervalSeconds: 0 });
  return canonical(await load(source));
}

const subscriptionAt = (id: string, changes: Partial<Stripe.Subscription>) =>
  ({
    ...subscription({ id, customer: 'cus_1', items: [{ price: proMonthly }] }),
    ...changes,
  }) as Stripe.Subscription;

describe('incremental Stripe sync', () => {
  it('reads the whole account once, then one events page per round while nothing changes', async () => {
    const fake = await start(account());
    const { source, requests, syncs } = sourceFor(fake);
    const first = await load(source);
    // 250 subscriptions: 3 pages; 50 customers, 2 prices, 2 coupons: 1 page each.
    expect(requests).toEqual({ list: 6, retrieve: 0, events: 0 });
    for (let round = 0; round < 5; round += 1) {
      expect(canonical(await load(source))).toEqual(canonical(first));
    }
    expect(requests).toEqual({ list: 6, retrieve: 0, events: 5 });
    expect(syncs).toEqual({ full: 1, incremental: 5 });
    // Every events request asks only for the types billing reads, at Stripe's page size.
    const eventRequests = fake.requests.filter((r) => r.path === '/v1/events');
    expect(eventRequests).toHaveLength(5);
    for (const request of eventRequests) {
      expect(request.query.limit).toBe('100');
      expect(request.query['created[gte]']).toMatch(/^\d+$/);
      expect(request.query['types[0]']).toBe('customer.subscription.created');
    }
  });

  it('fetches again only the objects events name, and ends with what a full sync gives', async () => {
    // 1,000 subscriptions: a full sync costs 13 requests, more than the 7 changes below.
    const fake = await start(account(1_000));
    const { source, requests } = sourceFor(fake);
    await load(source);

    // A cancellation, an upgrade, a new subscription, a customer's new discount,
    // a coupon deleted, a price changed and a customer deleted.
    fake.emit(
      'customer.subscription.deleted',
      subscription({
        id: 'sub_0003',
        customer: 'cus_3',
        status: 'canceled',
        created: 1_700_000_003,
        canceledAt: 1_700_100_000,
        endedAt: 1_700_100_000,
        items: [{ price: proMonthly, quantity: 1 }],
      }),
    );
    fake.emit(
      'customer.subscription.updated',
      subscription({
        id: 'sub_0004',
        customer: 'cus_4',
        created: 1_700_000_004,
        items: [{ price: proMonthly, quantity: 7 }],
      }),
    );
    fake.emit(
      'customer.subscription.created',
      subscription({
        id: 'sub_new',
        customer: 'cus_9',
        created: 1_800_000_000,
        items: [{ price: starterMonthly, quantity: 2 }],
      }),
    );
    const loyal = discount({ id: 'di_cus_7', coupon: half, customer: 'cus_7' });
    fake.emit(
      'customer.updated',
      customer({
        id: 'cus_7',
        created: 1_700_000_007,
        metadata: { channel: 'paid' },
        discount: loyal,
      }),
    );
    fake.emit('customer.discount.created', loyal);
    fake.emit('coupon.deleted', tenOff);
    fake.emit('price.updated', price({ id: 'price_starter', product: starter, unitAmount: 1900 }));
    fake.emit('customer.deleted', customer({ id: 'cus_49', created: 1_700_000_049 }));
    // Not read by billing: filtered out by the events request itself.
    fake.emit('charge.succeeded', { id: 'ch_1', object: 'charge' });

    const before = { ...requests };
    const incremental = canonical(await load(source));
    // One events page; one retrieve per named object (sub ×3, customer ×2, coupon, price).
    expect(requests.events - before.events).toBe(1);
    expect(requests.retrieve - before.retrieve).toBe(7);
    expect(requests.list - before.list).toBe(0);
    expect(incremental).toEqual(await fullSnapshot(fake));
    // The changes really are in it (the comparison above would pass on two stale snapshots).
    const sub = (id: string) => incremental.subscriptions.find((s) => s.id === id);
    expect(sub('sub_0003')?.status).toBe('canceled');
    expect(sub('sub_0004')?.items[0]?.quantity).toBe(7);
    expect(sub('sub_new')).toBeDefined();
    expect(incremental.customers.find((c) => c.id === 'cus_7')?.channel).toBe('paid');
    expect(incremental.customers.some((c) => c.id === 'cus_49')).toBe(false);
  });

  it('re-lists the prices when a product changes (prices embed their product)', async () => {
    const fake = await start(account());
    const { source, requests } = sourceFor(fake);
    await load(source);
    const renamed = product('prod_pro', { tier: 'enterprise' });
    fake.emit('product.updated', renamed);
    fake.emit('price.updated', price({ id: 'price_pro', product: renamed, unitAmount: 4900 }));
    const before = { ...requests };
    const incremental = canonical(await load(source));
    // The price list (1 page) covers the price event too.
    expect(requests.list - before.list).toBe(1);
    expect(requests.retrieve - before.retrieve).toBe(0);
    expect(incremental).toEqual(await fullSnapshot(fake));
  });

  it('takes an event that shows up in the list late, within the two-minute overlap', async () => {
    const fake = await start(account(10));
    const t0 = Math.floor(Date.now() / 1000);
    let clock = t0 * 1000;
    const { source, requests } = sourceFor(fake, { now: () => clock });
    await load(source);
    clock += 600_000;
    await load(source);
    // Created 50 s before that poll but listed only after it, as an event can be.
    fake.emit('customer.subscription.updated', subscriptionAt('sub_0007', { status: 'past_due' }), {
      created: t0 + 550,
    });
    // Created 200 s before the poll: later than the overlap covers; the next full sync repairs it.
    fake.emit('customer.subscription.updated', subscriptionAt('sub_0008', { status: 'past_due' }), {
      created: t0 + 400,
    });
    clock += 600_000;
    const before = requests.retrieve ?? 0;
    const snapshot = canonical(await load(source));
    expect(requests.retrieve - before).toBe(1);
    expect(snapshot.subscriptions.find((s) => s.id === 'sub_0007')?.status).toBe('past_due');
    expect(snapshot.subscriptions.find((s) => s.id === 'sub_0008')?.status).toBe('active');
    // The next poll reads the overlap again but does not fetch the same event twice.
    clock += 60_000;
    await load(source);
    expect(requests.retrieve - before).toBe(1);
    clock += 3_600_000;
    const repaired = canonical(await load(source));
    expect(repaired.subscriptions.find((s) => s.id === 'sub_0008')?.status).toBe('past_due');
  });

  it('syncs in full when more objects changed than a full sync costs', async () => {
    const fake = await start(account());
    const { source, requests, syncs } = sourceFor(fake);
    await load(source);
    // 6 requests buy a full sync; 7 changed subscriptions would cost 7 retrieves.
    for (let i = 0; i < 7; i += 1) {
      const id = `sub_${String(i).padStart(4, '0')}`;
      fake.emit('customer.subscription.updated', subscriptionAt(id, { status: 'unpaid' }));
    }
    const before = { ...requests };
    const snapshot = canonical(await load(source));
    expect(syncs).toEqual({ full: 2, incremental: 0 });
    expect(requests.retrieve - before.retrieve).toBe(0);
    // The six lists, and the invoices of each of the 7 now unpaid subscriptions.
    expect(requests.list - before.list).toBe(6 + 7);
    expect(snapshot).toEqual(await fullSnapshot(fake));
  });

  it('syncs in full again once fullSyncIntervalSeconds have passed, and every round with 0', async () => {
    const fake = await start(account(10));
    let clock = 1_000_000;
    const { source, syncs } = sourceFor(fake, {
      fullSyncIntervalSeconds: 3600,
      now: () => clock,
    });
    await load(source);
    clock += 3_599_000;
    await load(source);
    expect(syncs).toEqual({ full: 1, incremental: 1 });
    clock += 1_000;
    await load(source);
    expect(syncs).toEqual({ full: 2, incremental: 1 });

    const always = sourceFor(fake, { fullSyncIntervalSeconds: 0 });
    await load(always.source);
    await load(always.source);
    expect(always.syncs).toEqual({ full: 2, incremental: 0 });
    expect(always.requests.events).toBe(0);
  });

  it('falls back to full syncs, with a warning, when the key cannot read events', async () => {
    const fake = await start(account(10));
    fake.deny('events');
    const { source, requests, syncs } = sourceFor(fake);
    await load(source);
    fake.emit('customer.subscription.updated', subscriptionAt('sub_0001', { status: 'paused' }));
    const snapshot = canonical(await load(source));
    await load(source);
    // One refused events request, then no more: every round lists everything.
    expect(requests.events).toBe(1);
    expect(syncs).toEqual({ full: 3, incremental: 0 });
    expect(snapshot.subscriptions.find((s) => s.id === 'sub_0001')?.status).toBe('paused');
  });

  // 404: a proxy or a Stripe-compatible server without the endpoint; 400 and 410: any other refusal.
  it.each([404, 400, 410])(
    'falls back to full syncs with one warning when Stripe answers %i to the events list, and reads events again later',
    async (status) => {
      const fake = await start(account(10));
      fake.refuse('events', status);
      let clock = 1_000_000;
      const captured = capturedLog();
      const { source, requests, syncs } = sourceFor(fake, { now: () => clock }, captured.log);
      await load(source);
      await load(source);
      fake.emit('customer.subscription.updated', subscriptionAt('sub_0001', { status: 'paused' }));
      clock += 60_000;
      const snapshot = canonical(await load(source));
      // The refusal is not a failed run: each round synced in full, with the change in it.
      expect(syncs).toEqual({ full: 3, incremental: 0 });
      expect(snapshot.subscriptions.find((s) => s.id === 'sub_0001')?.status).toBe('paused');
      expect(requests.events).toBe(1);
      // Asked again once a full-sync interval has passed (after the scheduled full sync):
      // still refused, and no second warning.
      clock += 3_600_000;
      await load(source);
      expect(requests.events).toBe(1);
      await load(source);
      expect(requests.events).toBe(2);
      const refusals = captured
        .warnings()
        .filter((entry) => String(entry.msg).includes('events list'));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]?.status).toBe(status);
      // Once the list answers again, rounds are incremental again.
      fake.allow('events');
      clock += 3_600_000;
      await load(source);
      await load(source);
      expect(syncs).toEqual({ full: 6, incremental: 1 });
      expect(captured.warnings()).toHaveLength(1);
    },
  );

  it('fails the run, as for every request, when Stripe rejects the key on the events list (401)', async () => {
    const fake = await start(account(10));
    const { source, syncs } = sourceFor(fake);
    await load(source);
    fake.refuse('events', 401);
    await expect(load(source)).rejects.toThrow(/rejected the API key \(401\) while listing events/);
    expect(syncs).toEqual({ full: 1, incremental: 0 });
  });

  it('keeps a change whose retrieve failed and applies it at the next round', async () => {
    const fake = await start(account(10));
    const { source, requests, syncs } = sourceFor(fake);
    await load(source);
    fake.emit('customer.subscription.updated', subscriptionAt('sub_0002', { status: 'unpaid' }));
    // The events page answers; the retrieve fails past its retry (maxRetries 1): the round fails.
    fake.injectFaults('server_error', 2, { path: '/v1/subscriptions/sub_0002' });
    await expect(load(source)).rejects.toThrow(/kept failing while retrieving subscription/);
    const retrievesBefore = requests.retrieve;
    const snapshot = canonical(await load(source));
    expect(requests.retrieve - retrievesBefore).toBe(1);
    expect(syncs).toEqual({ full: 1, incremental: 1 });
    expect(snapshot.subscriptions.find((s) => s.id === 'sub_0002')?.status).toBe('unpaid');
  });

  it('syncs in full when Stripe refuses to retrieve one object, instead of failing every round', async () => {
    const fake = await start(account(10));
    const { source, syncs } = sourceFor(fake);
    await load(source);
    fake.emit('customer.subscription.updated', subscriptionAt('sub_0003', { status: 'unpaid' }));
    // A refusal that retrying cannot change (400 invalid_request_error).
    fake.injectFaults('invalid_request', 1, { path: '/v1/subscriptions/sub_0003' });
    const snapshot = canonical(await load(source));
    expect(syncs).toEqual({ full: 2, incremental: 0 });
    expect(snapshot).toEqual(canonical(await load(sourceFor(fake).source)));
    expect(snapshot.subscriptions.find((s) => s.id === 'sub_0003')?.status).toBe('unpaid');
    // Nothing is left pending: the next round is incremental again and retrieves nothing.
    await load(source);
    expect(syncs).toEqual({ full: 2, incremental: 1 });
  });

  it('syncs in full, without reading on, when the events fill more pages than a full sync costs', async () => {
    const fake = await start(account(10));
    const { source, requests, syncs } = sourceFor(fake);
    await load(source);
    // The full sync cost 4 list requests; 450 events fill 5 pages of 100.
    for (let i = 0; i < 450; i += 1) {
      fake.emit('customer.subscription.updated', subscriptionAt('sub_0006', { status: 'unpaid' }));
    }
    const snapshot = canonical(await load(source));
    expect(requests.events).toBe(4);
    expect(requests.retrieve).toBe(0);
    expect(syncs).toEqual({ full: 2, incremental: 0 });
    expect(snapshot.subscriptions.find((s) => s.id === 'sub_0006')?.status).toBe('unpaid');
  });

  it('ignores webhooks until billing has read Stripe once, so nothing piles up unread', async () => {
    const fake = await start(account(10));
    const { source, requests } = sourceFor(fake);
    const event = fake.emit('customer.subscription.updated', subscriptionAt('sub_0004', {}));
    // Billing reading the mirror never loads this source: the event is not taken.
    expect(source.notify(event)).toBe(false);
    await load(source);
    expect(requests.retrieve).toBe(0);
    expect(source.notify({ ...event, id: 'evt_later' })).toBe(true);
  });

  it('fetches what a webhook named at the next round, and not again when the events list repeats it', async () => {
    const fake = await start(account(10));
    const { source, requests } = sourceFor(fake);
    await load(source);
    const event = fake.emit(
      'invoice.payment_failed',
      invoice({ id: 'in_1', customer: 'cus_5', created: 1_700_000_500, status: 'open' }),
    );
    // Newer API versions name the subscription under parent.subscription_details.
    const delivered = {
      ...event,
      data: {
        object: {
          ...event.data.object,
          parent: { subscription_details: { subscription: 'sub_0005' } },
        },
      },
    };
    expect(source.notify(delivered)).toBe(true);
    // A second delivery of the same event (Stripe retries) is not taken twice.
    expect(source.notify(delivered)).toBe(false);
    expect(source.notify({ id: 'evt_x', type: 'charge.refunded', data: { object: {} } })).toBe(
      false,
    );
    const before = requests.retrieve;
    await load(source);
    expect(requests.retrieve - before).toBe(1);
    expect(fake.requests.filter((r) => r.path === '/v1/subscriptions/sub_0005')).toHaveLength(1);
  });
});
