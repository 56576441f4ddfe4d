import { Writable } from 'node:stream';
import pino from 'pino';
import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { computeTotals } from '../../src/billing/aggregate.js';
import { loadMirrorSnapshot } from '../../src/billing/mirror-pages.js';
import { defaultBillingPolicy } from '../../src/billing/policy.js';
import { createStripeBillingSource } from '../../src/billing/stripe-source.js';
import type { BillingSnapshot } from '../../src/billing/types.js';
import { createPostgresSource } from '../../src/sources/postgres.js';
import { customer, invoice, price, product, subscription } from '../fixtures/stripe-objects.js';
import { FakeStripe } from '../helpers/fake-stripe.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * The past-due grace clock starts when payment first failed in the current
 * dunning episode, the same way whichever source billing reads. One scenario,
 * written once, is served by a Stripe-compatible server (through the real SDK)
 * and by the billing mirror tables; both must date every subscription as
 * worked out by hand below. Judged on 15 June 2026 with the default 30-day grace.
 */
const AT = new Date('2026-06-15T00:00:00Z');
const day = (mmdd: string) => new Date(`2026-${mmdd}T00:00:00Z`);
const unixOf = (date: Date) => date.getTime() / 1000;

interface ScenarioInvoice {
  readonly status: Stripe.Invoice.Status;
  readonly created: string;
  /** A sent invoice's due date. */
  readonly due?: string;
}

interface ScenarioSubscription {
  readonly id: string;
  readonly status: 'past_due' | 'unpaid' | 'active';
  readonly periodStart: string;
  readonly invoices: readonly ScenarioInvoice[];
  /** Worked out by hand from the definition. */
  readonly failingSince: Date | undefined;
  readonly countedAtAt: boolean;
}

const scenario: readonly ScenarioSubscription[] = [
  // Paid in April; the May renewal failed, then the June one: failing since 6 May
  // (40 days at AT, out of grace), not since the latest invoice (10 days).
  {
    id: 'sub_renewals',
    status: 'past_due',
    periodStart: '06-05',
    invoices: [
      { status: 'paid', created: '04-06' },
      { status: 'open', created: '05-06' },
      { status: 'open', created: '06-05' },
    ],
    failingSince: day('05-06'),
    countedAtAt: false,
  },
  // No invoice at all: the end of the paid period, 1 May (45 days: out), not "forever".
  {
    id: 'sub_no_invoice',
    status: 'past_due',
    periodStart: '05-01',
    invoices: [],
    failingSince: day('05-01'),
    countedAtAt: false,
  },
  // An old write-off, then a payment: the episode began with the June failure (14 days: in).
  {
    id: 'sub_new_episode',
    status: 'past_due',
    periodStart: '06-01',
    invoices: [
      { status: 'uncollectible', created: '03-01' },
      { status: 'paid', created: '04-01' },
      { status: 'open', created: '06-01' },
    ],
    failingSince: day('06-01'),
    countedAtAt: true,
  },
  // A sent invoice issued 20 April, due 20 May: owed from its due date (26 days: in).
  {
    id: 'sub_sent_invoice',
    status: 'past_due',
    periodStart: '04-20',
    invoices: [{ status: 'open', created: '04-20', due: '05-20' }],
    failingSince: day('05-20'),
    countedAtAt: true,
  },
  // A voided invoice neither ends nor starts an episode: since 1 May (45 days: out).
  {
    id: 'sub_voided',
    status: 'past_due',
    periodStart: '06-01',
    invoices: [
      { status: 'paid', created: '04-01' },
      { status: 'open', created: '05-01' },
      { status: 'void', created: '05-20' },
      { status: 'open', created: '06-01' },
    ],
    failingSince: day('05-01'),
    countedAtAt: false,
  },
  // unpaid: dated the same way; out from that moment.
  {
    id: 'sub_unpaid',
    status: 'unpaid',
    periodStart: '06-01',
    invoices: [
      { status: 'paid', created: '03-01' },
      { status: 'uncollectible', created: '04-01' },
    ],
    failingSince: day('04-01'),
    countedAtAt: false,
  },
  // Active: an open invoice does not date anything.
  {
    id: 'sub_active',
    status: 'active',
    periodStart: '06-01',
    invoices: [{ status: 'open', created: '06-01' }],
    failingSince: undefined,
    countedAtAt: true,
  },
];

const monthly = price({ id: 'price_m', product: product('prod_m'), unitAmount: 1000 });
const customerOf = (index: number) => `cus_${index + 1}`;
const invoiceId = (sub: string, index: number) => `in_${sub}_${index}`;

function stripeAccount() {
  return {
    prices: [monthly],
    customers: scenario.map((_, i) => customer({ id: customerOf(i) })),
    subscriptions: scenario.map((sub, i) =>
      subscription({
        id: sub.id,
        customer: customerOf(i),
        status: sub.status,
        created: unixOf(day('01-01')),
        currentPeriodStart: unixOf(day(sub.periodStart)),
        items: [{ price: monthly, quantity: 1 }],
      }),
    ),
    invoices: scenario.flatMap((sub, i) =>
      sub.invoices.map((inv, n) =>
        invoice({
          id: invoiceId(sub.id, n),
          customer: customerOf(i),
          subscription: sub.id,
          status: inv.status,
          created: unixOf(day(inv.created)),
          ...(inv.due ? { dueDate: unixOf(day(inv.due)) } : {}),
        }),
      ),
    ),
  };
}

const mirrorSql = () => {
  const text = (value: string | undefined) => (value === undefined ? 'NULL' : `'${value}'`);
  const at = (mmdd: string | undefined) =>
    mmdd === undefined ? 'NULL' : `'${day(mmdd).toISOString()}'`;
  return `
INSERT INTO organizations (id, slug, name) OVERRIDING SYSTEM VALUE VALUES
  ${scenario.map((_, i) => `(${i + 1}, 'o${i + 1}', 'O${i + 1}')`).join(',\n  ')};
INSERT INTO billing_prices (id, product_id, currency, unit_amount, recurring_interval)
  VALUES ('price_m', 'prod_m', 'usd', 1000, 'month');
INSERT INTO billing_subscriptions (id, organization_id, status, currency, started_at, current_period_start) VALUES
  ${scenario
    .map(
      (sub, i) =>
        `(${text(sub.id)}, ${i + 1}, ${text(sub.status)}, 'usd', ${at('01-01')}, ${at(sub.periodStart)})`,
    )
    .join(',\n  ')};
INSERT INTO billing_subscription_items (subscription_id, price_id, quantity)
  SELECT id, 'price_m', 1 FROM billing_subscriptions;
INSERT INTO billing_invoices (id, subscription_id, status, created_at, due_at) VALUES
  ${scenario
    .flatMap((sub) =>
      sub.invoices.map(
        (inv, n) =>
          `(${text(invoiceId(sub.id, n))}, ${text(sub.id)}, ${text(inv.status)}, ${at(inv.created)}, ${at(inv.due)})`,
      ),
    )
    .join(',\n  ')};
`;
};

const apiKey = 'sk_test_Dunning123';
const noRejections = (reason: string, detail: Record<string, unknown>) => {
  throw new Error(`unexpected rejection ${reason}: ${JSON.stringify(detail)}`);
};

/** Each subscription's failing-since date, by id (undefined when not dunning). */
const failingSince = (snapshot: BillingSnapshot) =>
  Object.fromEntries(snapshot.subscriptions.map((sub) => [sub.id, sub.pastDueSince]));

const expectedSince = Object.fromEntries(scenario.map((sub) => [sub.id, sub.failingSince]));

/** MRR at AT: 1000 cents for each subscription the grace lets count. */
const mrrAt = (snapshot: BillingSnapshot) =>
  computeTotals(snapshot, AT, defaultBillingPolicy, { tiers: [], byId: {} }, []).committed.get(
    'usd',
  );
const expectedMrr = scenario.filter((sub) => sub.countedAtAt).length * 1000;

function capturedLog() {
  const entries: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      entries.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), entries };
}

describe('the past-due grace clock', () => {
  const fakes: FakeStripe[] = [];
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((fake) => fake.close()));
  });

  async function stripeSource(options: { deny?: boolean; now?: () => number } = {}) {
    const fake = await FakeStripe.start({ apiKey, data: stripeAccount() });
    fakes.push(fake);
    if (options.deny) fake.deny('invoices');
    const captured = capturedLog();
    const source = createStripeBillingSource(
      {
        apiKey,
        ...fake.clientOptions,
        maxRequestsPerSecond: 100,
        timeoutSeconds: 5,
        maxRetries: 0,
        fullSyncIntervalSeconds: 3600,
        ...(options.now ? { now: options.now } : {}),
      },
      captured.log,
    );
    const load = () => source.loadSnapshot(new AbortController().signal, noRejections);
    return { fake, load, entries: captured.entries };
  }

  describe('from the billing mirror', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
      await db.sql(mirrorSql());
    });
    afterAll(async () => {
      await db.drop();
    });

    it('starts when payment first failed in the current episode, else at the end of the paid period', async () => {
      const app = createPostgresSource({
        connectionString: db.url,
        poolSize: 1,
        statementTimeoutSeconds: 10,
        connectTimeoutSeconds: 5,
        applicationName: 'chom-test',
      });
      try {
        const snapshot = await app.readOnly(new AbortController().signal, (query) =>
          loadMirrorSnapshot(query, {}, noRejections),
        );
        expect(failingSince(snapshot)).toEqual(expectedSince);
        expect(mrrAt(snapshot)).toBe(expectedMrr);
      } finally {
        await app.close();
      }
    });
  });

  describe('from Stripe', () => {
    it('starts when payment first failed in the current episode, else at the end of the paid period', async () => {
      const { fake, load } = await stripeSource();
      const snapshot = await load();
      expect(failingSince(snapshot)).toEqual(expectedSince);
      expect(mrrAt(snapshot)).toBe(expectedMrr);
      // Invoices are listed by subscription, and only for past-due and unpaid ones.
      const asked = fake.requestsTo('invoices').map((r) => r.query.subscription);
      expect(asked.sort()).toEqual(
        scenario
          .filter((sub) => sub.status !== 'active')
          .map((sub) => sub.id)
          .sort(),
      );
    });

    it('does not restart the clock when a further renewal fails between full syncs', async () => {
      let clock = Date.parse('2026-06-15T00:00:00Z');
      const { fake, load } = await stripeSource({ now: () => clock });
      await load();
      // The July renewal fails: a new open invoice, and the period moves on.
      const renewal = invoice({
        id: 'in_sub_renewals_july',
        customer: customerOf(0),
        subscription: 'sub_renewals',
        created: unixOf(new Date('2026-06-14T23:00:00Z')),
      });
      fake.emit(
        'customer.subscription.updated',
        subscription({
          id: 'sub_renewals',
          customer: customerOf(0),
          status: 'past_due',
          created: unixOf(day('01-01')),
          currentPeriodStart: renewal.created,
          latestInvoice: renewal,
          items: [{ price: monthly, quantity: 1 }],
        }),
        { created: Math.floor(clock / 1000) },
      );
      fake.emit('invoice.payment_failed', renewal, { created: Math.floor(clock / 1000) });
      clock += 60_000;
      const before = fake.requestsTo('invoices').length;
      const snapshot = await load();
      expect(fake.requestsTo('invoices').length - before).toBe(1);
      expect(failingSince(snapshot).sub_renewals).toEqual(day('05-06'));
    });

    it('without Invoices: Read, dates by the end of the paid period, with one warning', async () => {
      let clock = Date.parse('2026-06-15T00:00:00Z');
      const { fake, load, entries } = await stripeSource({ deny: true, now: () => clock });
      const first = await load();
      clock += 3_600_000;
      await load();
      // Each full sync asks once (the second is an hour later); the rest of it does not ask again.
      expect(fake.requestsTo('invoices')).toHaveLength(2);
      expect(failingSince(first)).toEqual(
        Object.fromEntries(
          scenario.map((sub) => [
            sub.id,
            sub.status === 'active' ? undefined : day(sub.periodStart),
          ]),
        ),
      );
      const warnings = entries.filter(
        (entry) => entry.level === 40 && String(entry.msg).includes('invoices list'),
      );
      expect(warnings).toHaveLength(1);
    });
  });
});
