import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { type RunningService, startService } from '../../src/serve.js';
import { customer, price, product, subscription } from '../fixtures/stripe-objects.js';
import { type ParsedSample, parseExposition, sampleValue } from '../helpers/exposition.js';
import { FakeStripe } from '../helpers/fake-stripe.js';
import { waitUntil } from '../helpers/processes.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const apiKey = 'rk_test_StripeOnly42';

/**
 * A company with Stripe and no app database: the README's Stripe-only example
 * (`collectors.only: [billing_mrr, config_kpi_targets]`, billing from Stripe,
 * a state database for the month's opening) served as `serve` serves it.
 * Nothing reads an app database, so no database URL is needed and demo mode
 * (an embedded PostgreSQL with synthetic data) does not start.
 */
describe('a Stripe-only configuration', () => {
  let fake: FakeStripe;
  let state: TestDatabase;
  let service: RunningService;
  const logLines: Record<string, unknown>[] = [];
  let body: string;
  let samples: ParsedSample[];

  beforeAll(async () => {
    const pro = product('prod_pro', { tier: 'professional' });
    const monthly = price({ id: 'price_pro', product: pro, unitAmount: 4900 });
    fake = await FakeStripe.start({
      apiKey,
      data: {
        prices: [monthly],
        customers: [customer({ id: 'cus_1' }), customer({ id: 'cus_2' })],
        subscriptions: [
          subscription({
            id: 'sub_1',
            customer: 'cus_1',
            items: [{ price: monthly, quantity: 2 }],
          }),
          subscription({
            id: 'sub_2',
            customer: 'cus_2',
            items: [{ price: monthly, quantity: 1 }],
          }),
        ],
      },
    });
    // The state database only records month openings; it holds no app schema.
    state = await createTestDatabase();
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          logLines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
          done();
        },
      }),
    );
    const configWith = (only: string[]) =>
      parseConfig({
        server: { host: '127.0.0.1', port: 0 },
        stateDatabase: { url: state.url },
        stripe: { apiKey, ...fake.clientOptions, maxRetries: 0 },
        collectors: { only, billing_mrr: { source: 'stripe' } },
      });
    service = await startService(configWith(['billing_mrr', 'config_kpi_targets']), log, () =>
      // What a reload reads: the same, plus a collector that needs the app database.
      configWith(['billing_mrr', 'config_kpi_targets', 'postgres_nps']),
    );
    await waitUntil(
      'the exporter ready',
      60,
      async () => (await fetch(`${service.url}/readyz`)).ok,
    );
    body = await (await fetch(`${service.url}/metrics`)).text();
    samples = parseExposition(body);
  }, 90_000);

  afterAll(async () => {
    await service?.close();
    await fake?.close();
    await state?.drop();
  });

  it('runs only the listed collectors, successfully', () => {
    const success = samples.filter((s) => s.name === 'chom_collector_success');
    expect(Object.fromEntries(success.map((s) => [s.labels.collector, s.value]))).toEqual({
      billing_mrr: 1,
      config_kpi_targets: 1,
    });
  });

  it('serves MRR from Stripe: 3 x 49.00', () => {
    expect(
      sampleValue(samples, 'chom_revenue_mrr', { tier: 'professional', currency: 'USD' }),
    ).toBe(147);
    expect(sampleValue(samples, 'chom_customers')).toBe(2);
  });

  it('starts no demo database and says it runs without an app database', async () => {
    const page = await (await fetch(`${service.url}/`)).text();
    expect(page).not.toContain('DEMO MODE');
    const messages = logLines.map((line) => String(line.msg));
    expect(messages).toContain(
      'no enabled collector reads the app database: running without one, and without demo data',
    );
    expect(messages.some((message) => message.startsWith('DEMO MODE'))).toBe(false);
  });

  it('passes promtool check metrics', () => {
    expect(promtoolCheckMetrics(body)).toEqual({ status: 0, output: '' });
  });

  it('after a reload that adds a database collector, fails that one alone with a clear message', async () => {
    expect(await service.reload()).toEqual({ ok: true });
    const nps = () => service.exporter.runners.find((r) => r.collector.name === 'postgres_nps');
    await waitUntil('postgres_nps has run', 30, () => nps()?.currentStatus.lastSuccess === false);
    expect(nps()?.currentStatus.lastError).toMatch(/^no database is configured: set database\.url/);
    const after = parseExposition(await (await fetch(`${service.url}/metrics`)).text());
    expect(sampleValue(after, 'chom_collector_success', { collector: 'billing_mrr' })).toBe(1);
  });
});
