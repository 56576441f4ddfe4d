import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { customerMrrAt } from '../../src/billing/aggregate.js';
import {
  monthStartOf,
  openingBasis,
  resolveMonthOpening,
} from '../../src/billing/month-opening.js';
import { createPostgresMonthStartStore } from '../../src/billing/month-start-store.js';
import {
  discount,
  item,
  mrrRecord,
  policy,
  price,
  snapshot,
  subscription,
} from '../fixtures/billing-builders.js';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { parseExposition, sampleValue } from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * The month's opening MRR is only comparable with MRR computed the same way.
 * One customer pays 29.00 a month with a 10.00-off coupon that runs until next
 * month: 19.00 under `discounts: all_active`, 29.00 under `forever_only`.
 */
const M = "date_trunc('month', now())";
const fixtureSql = `
INSERT INTO organizations (id, slug, name, acquisition_channel) OVERRIDING SYSTEM VALUE VALUES
  (1, 'o1', 'O1', 'organic');
INSERT INTO billing_prices (id, product_id, tier, currency, unit_amount, recurring_interval)
  VALUES ('p_m', 'prod_starter', 'starter', 'usd', 2900, 'month');
INSERT INTO billing_subscriptions (id, organization_id, status, currency, started_at)
  VALUES ('s1', 1, 'active', 'usd', ${M} - interval '60 days');
INSERT INTO billing_subscription_items (subscription_id, price_id, quantity) VALUES ('s1', 'p_m', 1);
INSERT INTO billing_discounts (subscription_id, amount_off, currency, duration, ends_at)
  VALUES ('s1', 1000, 'usd', 'repeating', ${M} + interval '1 month');
`;

describe('a billing policy changed mid-month', () => {
  let db: TestDatabase;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(fixtureSql);
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  afterAll(async () => {
    await db.drop();
  });

  async function scrape(discounts: 'all_active' | 'forever_only') {
    const built = buildTestExporter(db.url, {
      stateDatabase: { url: db.url },
      collectors: { ...onlyCollectors('billing_mrr'), billing_mrr: { policy: { discounts } } },
    });
    closers.push(built.close);
    expect(await built.exporter.runOnce()).toBe(0);
    const samples = parseExposition(await built.exporter.exposition());
    const usd = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(samples, name, { currency: 'USD', ...labels });
    return {
      mrr: usd('chom_revenue_mrr', { tier: 'starter' }),
      opening: usd('chom_revenue_mrr_month_start'),
      movements: ['new', 'reactivation', 'expansion', 'contraction', 'churn'].map((movement) =>
        usd('chom_revenue_mrr_movement', { movement }),
      ),
      reconstructed: sampleValue(samples, 'chom_billing_month_opening_reconstructed'),
    };
  }

  it('compares like with like: no movement is fabricated, and the opening says it was reconstructed', async () => {
    // Recorded under all_active: 19.00 at the opening and now.
    const recorded = await scrape('all_active');
    expect([recorded.mrr, recorded.opening]).toEqual([19, 19]);
    expect(recorded.movements).toEqual([0, 0, 0, 0, 0]);

    // forever_only drops the repeating coupon: 29.00 now, and 29.00 at the opening
    // under the same policy. The recorded 19.00 would make a 10.00 expansion.
    const changed = await scrape('forever_only');
    expect([changed.mrr, changed.opening]).toEqual([29, 29]);
    expect(changed.movements).toEqual([0, 0, 0, 0, 0]);
    expect(changed.reconstructed).toBe(1);

    // Back to the recorded policy, the record is used again: with the subscription
    // deleted from the mirror, its churn is still counted from the record...
    await db.sql(`DELETE FROM billing_subscriptions WHERE id = 's1'`);
    const back = await scrape('all_active');
    expect([back.mrr, back.opening]).toEqual([0, 19]);
    expect(back.movements).toEqual([0, 0, 0, 0, 19]);
    // ...while under the other policy the opening is rebuilt from what the mirror still
    // has: nothing in USD, so no USD series at all.
    const rebuilt = await scrape('forever_only');
    expect([rebuilt.opening, rebuilt.reconstructed]).toEqual([undefined, 1]);
  });
});

describe('the state database of an older version', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('is upgraded in place; a month recorded without a basis keeps its values under the running policy', async () => {
    // The tables as the previous version created them, with July recorded in time.
    await db.sql(`
      CREATE SCHEMA chom_exporter;
      CREATE TABLE chom_exporter.billing_months (
        month date PRIMARY KEY, recorded_at timestamptz NOT NULL DEFAULT now(), reconstructed boolean NOT NULL);
      CREATE TABLE chom_exporter.billing_month_opening (
        month date NOT NULL REFERENCES chom_exporter.billing_months (month) ON DELETE CASCADE,
        customer_id text NOT NULL, currency text NOT NULL, mrr_minor double precision NOT NULL,
        PRIMARY KEY (month, customer_id, currency));
      INSERT INTO chom_exporter.billing_months (month, reconstructed) VALUES ('2026-07-01', false);
      INSERT INTO chom_exporter.billing_month_opening VALUES ('2026-07-01', 'cus_1', 'usd', 1900);
    `);
    // Today the customer pays 10.00 a month with a repeating 50% off: 5.00 under
    // all_active, 10.00 under forever_only.
    const halfOff = discount({ percentOff: 50, duration: 'repeating' });
    const now = snapshot([
      subscription({ items: [item({ price: price() })], discounts: [halfOff] }),
    ]);
    const allActive = policy({ discounts: 'all_active' });
    const foreverOnly = policy({ discounts: 'forever_only' });
    const store = createPostgresMonthStartStore(db.url);
    try {
      const july = (p: typeof allActive, at = '2026-07-20T00:00:00Z') =>
        resolveMonthOpening(store, () => customerMrrAt(now, monthStartOf(new Date(at)), p), {
          now: new Date(at),
          basis: openingBasis('database', p),
          graceMinutes: 60,
        });
      const adopted = await july(allActive);
      expect(mrrRecord(adopted.mrr)).toEqual({ cus_1: { usd: 1900 } });
      expect([adopted.reconstructed, adopted.recordedUnderAnotherBasis]).toEqual([false, false]);
      const stored = await db.sql('SELECT basis FROM chom_exporter.billing_months');
      expect(stored.rows).toEqual([{ basis: openingBasis('database', allActive) }]);

      const other = await july(foreverOnly);
      expect(mrrRecord(other.mrr)).toEqual({ cus_1: { usd: 1000 } });
      expect([other.reconstructed, other.recordedUnderAnotherBasis]).toEqual([true, true]);
      // The record is not overwritten: the adopted policy still reads it as recorded.
      expect((await july(allActive)).reconstructed).toBe(false);

      // A new month is recorded with the basis it was computed under, ten minutes in.
      const augustStart = new Date('2026-08-01T00:00:00Z');
      const august = await resolveMonthOpening(
        store,
        () => customerMrrAt(now, augustStart, foreverOnly),
        {
          now: new Date('2026-08-01T00:10:00Z'),
          basis: openingBasis('database', foreverOnly),
          graceMinutes: 60,
        },
      );
      expect(mrrRecord(august.mrr)).toEqual({ cus_1: { usd: 1000 } });
      expect(august.reconstructed).toBe(false);
      expect(
        (await db.sql(`SELECT basis FROM chom_exporter.billing_months WHERE month = '2026-08-01'`))
          .rows,
      ).toEqual([{ basis: openingBasis('database', foreverOnly) }]);
    } finally {
      await store.close();
    }
  });

  it('gives the same basis for the same settings and another for any other policy or source', () => {
    const base = openingBasis('stripe', policy());
    expect(openingBasis('stripe', { ...policy() })).toBe(base);
    expect(openingBasis('database', policy())).not.toBe(base);
    expect(openingBasis('stripe', policy({ pastDueGraceDays: 14 }))).not.toBe(base);
    expect(openingBasis('stripe', policy({ churnRecognition: 'at_request' }))).not.toBe(base);
  });
});
