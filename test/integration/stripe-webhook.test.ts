import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { customer, price, product, subscription } from '../fixtures/stripe-objects.js';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { parseExposition, sampleValue } from '../helpers/exposition.js';
import { FakeStripe } from '../helpers/fake-stripe.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const apiKey = 'sk_test_WebhookKey31';
const secret = 'whsec_TestSigningSecret0123456789';
const bearerToken = 'scrape-token-for-webhook-test';

/**
 * Stripe's signature, computed here with node:crypto rather than the SDK that
 * verifies it: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
 */
function sign(body: string, timestamp = Math.floor(Date.now() / 1000), key = secret): string {
  const mac = createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

const professional = product('prod_pro', { tier: 'professional' });
const monthly = price({ id: 'price_pro', product: professional, unitAmount: 4900 });
const sub = (quantity: number) =>
  subscription({ id: 'sub_1', customer: 'cus_1', items: [{ price: monthly, quantity }] });

describe('POST /webhooks/stripe', () => {
  let db: TestDatabase;
  let fake: FakeStripe;
  let app: FastifyInstance;
  let built: ReturnType<typeof buildTestExporter>;
  const logLines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await FakeStripe.start({
      apiKey,
      data: {
        prices: [monthly],
        customers: [customer({ id: 'cus_1', metadata: { channel: 'paid' } })],
        subscriptions: [sub(2)],
      },
    });
    built = buildTestExporter(db.url, {
      stripe: { apiKey, ...fake.clientOptions, maxRetries: 0, webhookSecret: secret },
      collectors: { ...onlyCollectors('billing_mrr'), billing_mrr: { source: 'stripe' } },
    });
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    );
    app = buildApp({
      exporter: built.exporter,
      logger,
      auth: () => ({ bearerToken }),
      webhook: { settings: () => ({ secret, toleranceSeconds: 300 }), billing: built.webhook },
    });
    // Started, as the service is: webhooks bring the scheduled billing run forward.
    expect(await built.exporter.start()).toBe(0);
  });
  afterAll(async () => {
    await app.close();
    await built.close();
    await fake.close();
    await db.drop();
  });
  afterEach(() => {
    // Whatever a test sent, the secret never reaches the log.
    expect(logLines.join('')).not.toContain(secret);
  });

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/webhooks/stripe',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      payload: body,
    });

  const scrape = async () =>
    parseExposition(
      (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${bearerToken}` } }))
        .body,
    );
  const outcome = async (name: string) =>
    (await scrape()).find(
      (s) => s.name === 'chom_stripe_webhook_events_total' && s.labels.outcome === name,
    )?.value ?? 0;

  it('takes a signed event without scrape credentials and refreshes billing within seconds', async () => {
    expect(
      sampleValue(await scrape(), 'chom_revenue_mrr', { tier: 'professional', currency: 'USD' }),
    ).toBe(98);
    const event = fake.emit('customer.subscription.updated', sub(5));
    const body = JSON.stringify(event);
    const response = await post(body, { 'stripe-signature': sign(body) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: true });
    expect(await outcome('accepted')).toBe(1);
    // The billing run is brought forward (its schedule is every 10 minutes).
    let mrr: number | undefined;
    for (let waited = 0; waited < 15_000 && mrr !== 245; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      mrr = sampleValue(await scrape(), 'chom_revenue_mrr', {
        tier: 'professional',
        currency: 'USD',
      });
    }
    expect(mrr).toBe(245);
    // Fetched by id, not by listing everything again.
    expect(fake.requests.filter((r) => r.path === '/v1/subscriptions/sub_1')).toHaveLength(1);
  });

  it('answers 200 to a signed event billing does not read, and counts it as ignored', async () => {
    const body = JSON.stringify({
      id: 'evt_charge',
      object: 'event',
      type: 'charge.succeeded',
      created: 1,
      data: { object: { id: 'ch_1', object: 'charge' } },
    });
    const before = await outcome('ignored');
    const response = await post(body, { 'stripe-signature': sign(body) });
    expect(response.statusCode).toBe(200);
    expect(await outcome('ignored')).toBe(before + 1);
  });

  it('refuses a missing, malformed or wrong signature with 400, naming the problem', async () => {
    const body = JSON.stringify(fake.emit('customer.subscription.updated', sub(5)));
    const before = await outcome('bad_signature');
    const cases: Record<string, string>[] = [
      {},
      { 'stripe-signature': 'garbage' },
      { 'stripe-signature': sign(body, undefined, 'whsec_SomeoneElsesSecret') },
      // Signed, then changed in transit.
      { 'stripe-signature': sign(body.replace('"quantity":5', '"quantity":500')) },
    ];
    for (const headers of cases) {
      const response = await post(body, headers);
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatch(/signature/i);
      expect(response.body).not.toContain(secret);
    }
    expect(await outcome('bad_signature')).toBe(before + cases.length);
  });

  it('refuses a correctly signed delivery older than the tolerance (a replay)', async () => {
    const body = JSON.stringify(fake.emit('customer.subscription.updated', sub(5)));
    const old = Math.floor(Date.now() / 1000) - 301;
    const response = await post(body, { 'stripe-signature': sign(body, old) });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatch(/older than 300s/);
    expect(await outcome('stale')).toBe(1);
    // The same body signed now passes: only the age was wrong.
    expect((await post(body, { 'stripe-signature': sign(body) })).statusCode).toBe(200);
  });

  it('refuses signed bodies that are not JSON or not an event, with 400', async () => {
    const before = await outcome('malformed');
    for (const body of ['{"id": "evt_1", "type": ', '[1, 2, 3]', '"text"']) {
      const response = await post(body, { 'stripe-signature': sign(body) });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatch(/not valid JSON|not a Stripe event/);
    }
    expect(await outcome('malformed')).toBe(before + 3);
  });

  it('refuses an oversized body with 413 and a wrong method with 404, and keeps serving', async () => {
    const big = `{"pad":"${'x'.repeat(300 * 1024)}"}`;
    const before = await outcome('too_large');
    const response = await post(big, { 'stripe-signature': sign(big) });
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatch(/larger than 262144 bytes/);
    expect(await outcome('too_large')).toBe(before + 1);
    const get = await app.inject({ method: 'GET', url: '/webhooks/stripe' });
    expect(get.statusCode).toBe(404);
    const metrics = await app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${bearerToken}` },
    });
    expect(metrics.statusCode).toBe(200);
    // Scrapes still need the credentials: only the webhook path is open.
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
  });
});

describe('POST /webhooks/stripe without a configured secret', () => {
  it('does not exist, whatever the size of the body', async () => {
    const db = await createTestDatabase();
    const built = buildTestExporter(db.url, { collectors: onlyCollectors('postgres_referrals') });
    const app = buildApp({
      exporter: built.exporter,
      logger: pino({ level: 'silent' }),
      webhook: { settings: () => undefined, billing: built.webhook },
    });
    try {
      const body = '{}';
      const response = await app.inject({
        method: 'POST',
        url: '/webhooks/stripe',
        headers: { 'content-type': 'application/json', 'stripe-signature': sign(body) },
        payload: body,
      });
      expect(response.statusCode).toBe(404);
      const oversized = await app.inject({
        method: 'POST',
        url: '/webhooks/stripe',
        headers: { 'content-type': 'application/json' },
        payload: 'x'.repeat(300 * 1024),
      });
      expect(oversized.statusCode).toBe(404);
    } finally {
      await app.close();
      await built.close();
      await db.drop();
    }
  });
});
