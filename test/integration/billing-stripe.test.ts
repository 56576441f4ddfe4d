import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { customer, price, product, subscription } from '../fixtures/stripe-objects.js';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { parseExposition, sampleValue } from '../helpers/exposition.js';
import { FakeStripe } from '../helpers/fake-stripe.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const apiKey = 'sk_test_CollectorKey77';

/** The billing collector reading Stripe through the real SDK, against a local Stripe-compatible server. */
describe('billing_mrr from Stripe', () => {
  let db: TestDatabase;
  let fake: FakeStripe;

  beforeAll(async () => {
    db = await createTestDatabase();
    const professional = product('prod_pro', { tier: 'professional' });
    const monthly = price({
      id: 'price_pro',
      product: professional,
      unitAmount: 4900,
      interval: 'month',
    });
    fake = await FakeStripe.start({
      apiKey,
      data: {
        prices: [monthly],
        customers: [customer({ id: 'cus_1', metadata: { channel: 'paid' } })],
        subscriptions: [
          subscription({
            id: 'sub_1',
            customer: 'cus_1',
            items: [{ price: monthly, quantity: 2 }],
          }),
        ],
      },
    });
  });
  afterAll(async () => {
    await fake.close();
    await db.drop();
  });

  function exporterWith(key: string) {
    return buildTestExporter(db.url, {
      stripe: { apiKey: key, ...fake.clientOptions, maxRetries: 0 },
      collectors: {
        ...onlyCollectors('billing_mrr', 'postgres_referrals'),
        billing_mrr: { source: 'stripe' },
      },
    });
  }

  it('exports MRR from Stripe subscriptions', async () => {
    const { exporter, close } = exporterWith(apiKey);
    try {
      expect(await exporter.runOnce()).toBe(0);
      const samples = parseExposition(await exporter.exposition());
      // 2 x 4900 cents a month.
      expect(
        sampleValue(samples, 'chom_revenue_mrr', { tier: 'professional', currency: 'USD' }),
      ).toBe(98);
      expect(sampleValue(samples, 'chom_customers')).toBe(1);
      expect(
        sampleValue(samples, 'chom_revenue_by_channel', { channel: 'paid', currency: 'USD' }),
      ).toBe(98);
    } finally {
      await close();
    }
  });

  it('marks the source down on an invalid key, names the problem without the key, and keeps serving', async () => {
    const wrongKey = 'sk_test_RevokedKey99';
    const { exporter, close } = exporterWith(wrongKey);
    const app = buildApp({ exporter, logger: pino({ level: 'silent' }) });
    try {
      expect(await exporter.runOnce()).toBe(1);
      const response = await app.inject({ url: '/metrics' });
      expect(response.statusCode).toBe(200);
      const samples = parseExposition(response.body);
      expect(sampleValue(samples, 'chom_collector_success', { collector: 'billing_mrr' })).toBe(0);
      expect(
        sampleValue(samples, 'chom_collector_success', { collector: 'postgres_referrals' }),
      ).toBe(1);
      const status = exporter.runners.find(
        (r) => r.collector.name === 'billing_mrr',
      )?.currentStatus;
      expect(status?.lastError).toMatch(/key/i);
      expect(status?.lastError).not.toContain(wrongKey);
      expect(response.body).not.toContain(wrongKey);
    } finally {
      await app.close();
      await close();
    }
  });
});
