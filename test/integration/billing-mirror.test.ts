import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { billingFixtureSql } from '../fixtures/billing-fixture.js';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { parseExposition, sampleValue, seriesOf } from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const onlyBilling = onlyCollectors('billing_mrr');

/** Billing metrics from the mirror tables, exact, with and without the month-opening store. */
describe('billing from the app database mirror', () => {
  let db: TestDatabase;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(billingFixtureSql);
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  afterAll(async () => {
    await db.drop();
  });

  async function scrape(withStore: boolean) {
    const built = buildTestExporter(db.url, {
      collectors: onlyBilling,
      ...(withStore ? { stateDatabase: { url: db.url } } : {}),
    });
    closers.push(built.close);
    expect(await built.exporter.runOnce()).toBe(0);
    return parseExposition(await built.exporter.exposition());
  }

  it('computes MRR, customers, movements and churn exactly', async () => {
    const samples = await scrape(false);
    // Now: o1 s1 2900 - 10% = 2610 (starter) + s9 1000 (no tier: other); o2 2 x 120000/12 = 20000
    // (lookup key professional_yearly); o3 graduated 10 x 5000 + 2 x 4000 = 58000 (metered item
    // excluded); o5 past_due 5 days (inside the 30-day grace) 1000 other; o7 2 x 3000 JPY; o9 2900.
    expect(seriesOf(samples, 'chom_revenue_mrr')).toEqual({
      '{"currency":"USD","tier":"starter"}': 55.1,
      '{"currency":"USD","tier":"professional"}': 200,
      '{"currency":"USD","tier":"business"}': 0,
      '{"currency":"USD","tier":"enterprise"}': 580,
      '{"currency":"USD","tier":"other"}': 20,
      '{"currency":"JPY","tier":"starter"}': 6000,
      '{"currency":"JPY","tier":"professional"}': 0,
      '{"currency":"JPY","tier":"business"}': 0,
      '{"currency":"JPY","tier":"enterprise"}': 0,
    });
    // s2's cancellation is scheduled: out of committed MRR. 85510 - 20000 cents.
    expect(seriesOf(samples, 'chom_revenue_mrr_committed')).toEqual({
      '{"currency":"USD"}': 655.1,
      '{"currency":"JPY"}': 6000,
    });
    expect(sampleValue(samples, 'chom_customers')).toBe(6);
    expect(sampleValue(samples, 'chom_revenue_arpa', { currency: 'USD' })).toBeCloseTo(
      855.1 / 5,
      10,
    );
    // Opening (month start): o1 2610, o2 20000, o4 2900 (ended during the month), o5 1000; JPY o7 6000.
    expect(sampleValue(samples, 'chom_revenue_mrr_month_start', { currency: 'USD' })).toBeCloseTo(
      265.1,
      10,
    );
    expect(sampleValue(samples, 'chom_customers_month_start')).toBe(5);
    // o3 new 58000; o9 paid before (s10 ended 40 days before the month) so reactivation 2900;
    // o1 expansion 1000; o4 churn 2900. 26510 + 58000 + 2900 + 1000 - 2900 = 85510.
    const usd = (movement: string) =>
      sampleValue(samples, 'chom_revenue_mrr_movement', { movement, currency: 'USD' });
    expect([
      usd('new'),
      usd('reactivation'),
      usd('expansion'),
      usd('contraction'),
      usd('churn'),
    ]).toEqual([580, 29, 10, 0, 29]);
    expect(seriesOf(samples, 'chom_customer_movements')).toEqual({
      '{"movement":"new"}': 1,
      '{"movement":"reactivation"}': 1,
      '{"movement":"expansion"}': 1,
      '{"movement":"contraction"}': 0,
      '{"movement":"churn"}': 1,
    });
    expect(sampleValue(samples, 'chom_customer_churn_ratio')).toBe(1 / 5);
    expect(
      sampleValue(samples, 'chom_revenue_churn_ratio', { kind: 'gross', currency: 'USD' }),
    ).toBeCloseTo(2900 / 26510, 12);
    expect(
      sampleValue(samples, 'chom_revenue_churn_ratio', { kind: 'net', currency: 'USD' }),
    ).toBeCloseTo((2900 - 1000 - 2900) / 26510, 12);
    expect(sampleValue(samples, 'chom_revenue_churn_ratio', { kind: 'net', currency: 'JPY' })).toBe(
      0,
    );
    expect(seriesOf(samples, 'chom_revenue_by_channel')).toEqual({
      '{"channel":"organic","currency":"USD"}': 36.1,
      '{"channel":"paid","currency":"USD"}': 200,
      '{"channel":"referral","currency":"USD"}': 580,
      '{"channel":"other","currency":"USD"}': 10,
      '{"channel":"direct","currency":"USD"}': 29,
      '{"channel":"organic","currency":"JPY"}': 6000,
    });
    const statuses = seriesOf(samples, 'chom_subscriptions');
    expect(statuses['{"status":"active"}']).toBe(6);
    expect(statuses['{"status":"canceled"}']).toBe(2);
    expect(statuses['{"status":"past_due"}']).toBe(1);
    expect(statuses['{"status":"paused"}']).toBe(0);
    // No store: the opening is reconstructed, and says so.
    expect(sampleValue(samples, 'chom_billing_month_opening_reconstructed')).toBe(1);
  });

  it('records the opening once: replicas agree and it outlives source changes', async () => {
    const first = await scrape(true);
    const second = await scrape(true);
    expect(seriesOf(second, 'chom_revenue_mrr_movement')).toEqual(
      seriesOf(first, 'chom_revenue_mrr_movement'),
    );
    const minutesIntoMonth =
      (Date.now() - Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1)) / 60_000;
    expect(sampleValue(first, 'chom_billing_month_opening_reconstructed')).toBe(
      minutesIntoMonth > 60 ? 1 : 0,
    );
    // The churned subscription disappears from the source (a mirror that deletes ended rows):
    // the recorded opening still holds o4, so its churn is still counted.
    await db.sql(`DELETE FROM billing_subscriptions WHERE id = 's4'`);
    const after = await scrape(true);
    expect(
      sampleValue(after, 'chom_revenue_mrr_movement', { movement: 'churn', currency: 'USD' }),
    ).toBe(29);
    expect(sampleValue(after, 'chom_customer_movements', { movement: 'churn' })).toBe(1);
    // Without the store the same change silently loses the churn: the reason the store exists.
    const reconstructed = await scrape(false);
    expect(sampleValue(reconstructed, 'chom_customer_movements', { movement: 'churn' })).toBe(0);
  });

  it('rejects a bad mirror row by name and keeps the others', async () => {
    await db.sql(`INSERT INTO billing_prices (id, product_id, currency, unit_amount, recurring_interval, tiers)
      VALUES ('p_bad', 'prod_bad', 'usd', 100, 'month', '{"not": "a list"}')`);
    await db.sql(`INSERT INTO billing_subscriptions (id, organization_id, status, currency, started_at)
      VALUES ('s_bad', 6, 'active', 'usd', now() - interval '1 day')`);
    await db.sql(
      `INSERT INTO billing_subscription_items (subscription_id, price_id, quantity) VALUES ('s_bad', 'p_bad', 1)`,
    );
    const samples = await scrape(false);
    expect(
      sampleValue(samples, 'chom_collector_rows_rejected_total', {
        collector: 'billing_mrr',
        reason: 'invalid_billing_row',
      }),
    ).toBe(1);
    expect(sampleValue(samples, 'chom_customers')).toBe(6);
    await db.sql(`DELETE FROM billing_subscriptions WHERE id = 's_bad'`);
  });
});
