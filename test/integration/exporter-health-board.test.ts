import { createHmac } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { dashboardUids } from '../../src/kpi/ids.js';
import { type RunningService, startService } from '../../src/serve.js';
import { allQueries, expand } from '../dashboards/model.js';
import {
  type PrometheusSample,
  type RunningPrometheus,
  startPrometheus,
} from '../dashboards/prometheus-server.js';
import { analyse } from '../dashboards/promql.js';
import { customer, price, product, subscription } from '../fixtures/stripe-objects.js';
import { FakeStripe } from '../helpers/fake-stripe.js';
import { waitUntil } from '../helpers/processes.js';

const apiKey = 'sk_test_ExporterHealthBoard42';
const secret = 'whsec_ExporterHealthBoardSecret0123';

/** Stripe's signature scheme (`t=<seconds>,v1=<HMAC-SHA256 of "t.body">`), computed here. */
function sign(body: string): string {
  const timestamp = Math.floor(Date.now() / 1000);
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

const professional = product('prod_pro', { tier: 'professional' });
const monthly = price({ id: 'price_pro', product: professional, unitAmount: 4900 });
const sub = (quantity: number) =>
  subscription({ id: 'sub_1', customer: 'cus_1', items: [{ price: monthly, quantity }] });

/**
 * The Stripe panels of the Exporter health board against a real Prometheus
 * scraping an exporter whose billing reads a local Stripe-compatible server
 * through the real SDK, with signed webhooks: the demo that
 * dashboard-queries.test.ts scrapes reads billing from its database, so these
 * panels are empty there.
 */
describe('Exporter health board: the Stripe panels on an exporter billing from Stripe', () => {
  let fake: FakeStripe;
  let service: RunningService;
  let prometheus: RunningPrometheus;
  const board = dashboardUids.exporter;
  const stripeQueries = allQueries()
    .filter((q) => q.board === board)
    .map((q) => ({
      ...q,
      expanded: expand(q.expr, q.dashboard, { rateInterval: '1m', range: '1h' }),
    }))
    .filter((q) => analyse(q.expanded).selectors.some((s) => s.metric?.startsWith('chom_stripe_')));
  const results = new Map<string, PrometheusSample[]>();

  beforeAll(async () => {
    fake = await FakeStripe.start({
      apiKey,
      data: {
        prices: [monthly],
        customers: [customer({ id: 'cus_1', metadata: { channel: 'paid' } })],
        subscriptions: [sub(2)],
      },
    });
    service = await startService(
      parseConfig({
        server: { host: '127.0.0.1', port: 0 },
        stripe: { apiKey, webhookSecret: secret, ...fake.clientOptions, maxRetries: 0 },
        collectors: {
          only: ['billing_mrr'],
          billing_mrr: { source: 'stripe', schedule: '* * * * * *' },
        },
      }),
      pino({ level: 'silent' }),
    );
    await waitUntil(
      'the exporter ready',
      30,
      async () => (await fetch(`${service.url}/readyz`)).status === 200,
    );
    prometheus = await startPrometheus({ target: new URL(service.url).host, ruleFiles: [] });
    const post = (body: string, signature: string) =>
      fetch(`${service.url}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body,
      });
    // The deliveries after Prometheus has seen the counters, so that their rates show them.
    await waitUntil('two scrapes', 20, async () => {
      const scraped = await prometheus.query('count_over_time(up{job="chom-exporter"}[1m])');
      return Number(scraped[0]?.value[1] ?? 0) >= 2;
    });
    // One delivery Stripe signed, one that it did not.
    const body = JSON.stringify(fake.emit('customer.subscription.updated', sub(3)));
    expect((await post(body, sign(body))).status).toBe(200);
    expect((await post(body, 't=1,v1=0000')).status).toBe(400);
    // Until every Stripe panel answers (rates need two scrapes after the counters moved).
    await waitUntil('every Stripe panel of the board to answer', 40, async () => {
      for (const q of stripeQueries)
        results.set(q.refId + q.panel, await prometheus.query(q.expanded));
      const webhooks = results.get('AStripe webhooks per hour by outcome') ?? [];
      return (
        [...results.values()].every((result) => result.length > 0) &&
        webhooks.filter((sample) => Number(sample.value[1]) > 0).length >= 2
      );
    }).catch(() => {});
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await service?.close();
    await fake?.close();
  });

  it('has Stripe panels to check', () => {
    expect(stripeQueries.map((q) => q.panel)).toEqual([
      'Stripe requests per hour by kind',
      'Stripe syncs per hour by mode',
      'Stripe webhooks per hour by outcome',
    ]);
  });

  it.each(stripeQueries.map((q) => [q.panel, q.refId, q] as const))(
    '%s / %s returns data, one series per replica and kind',
    (_, __, q) => {
      const result = results.get(q.refId + q.panel) ?? [];
      expect(result.length, q.expanded).toBeGreaterThan(0);
      for (const sample of result) {
        expect(sample.metric.instance).toBe(new URL(service.url).host);
        expect(Number.isFinite(Number(sample.value[1])), q.expanded).toBe(true);
      }
    },
  );

  it('shows the webhook outcomes apart: the signed delivery accepted, the other refused', () => {
    const webhooks = results.get('AStripe webhooks per hour by outcome') ?? [];
    const delivered = webhooks.filter((sample) => Number(sample.value[1]) > 0);
    expect(delivered.map((sample) => sample.metric.outcome).sort()).toEqual([
      'accepted',
      'bad_signature',
    ]);
  });
});
