/**
 * A full Stripe sync of 1k, 10k and 100k subscriptions through the official SDK
 * against the local Stripe-compatible server, with 50 ms of latency per request
 * and Stripe's test-mode limit of 25 requests per second enforced (429 beyond);
 * then incremental runs: with nothing changed, and with 1% of the subscriptions
 * changed (capped at 100).
 *
 *   npx tsx bench/stripe.ts [sizes=1000,10000,100000]  → bench/results/stripe.json
 *
 * The source is read as `loadSnapshot(signal)`, without a history request. The billing collector
 * asks for one (item history from paid invoices, README "Billing as of an instant"): that adds,
 * to the first round, one `GET /v1/invoices?status=paid` page per 100 invoices created since the
 * month's opening or the trailing window's start less 32 days (about one invoice per monthly
 * subscription), and to every later round one page of the invoices created since the previous
 * list (one request when nothing is new), not measured here.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createStripeBillingSource } from '../src/billing/stripe-source.js';
import { customer, price, product, subscription } from '../test/fixtures/stripe-objects.js';
import { FakeStripe } from '../test/helpers/fake-stripe.js';
import { machine } from './lib/machine.js';

const sizes = (process.argv[2] ?? '1000,10000,100000').split(',').map(Number);
const apiKey = 'sk_test_BenchmarkKey001';
const results: Record<string, unknown>[] = [];

for (const count of sizes) {
  const starter = price({
    id: 'price_starter',
    product: product('prod_starter', { tier: 'starter' }),
    unitAmount: 2900,
  });
  const customers = Array.from({ length: Math.ceil(count / 3) }, (_, i) =>
    customer({ id: `cus_${i}` }),
  );
  const subscriptions = Array.from({ length: count }, (_, i) =>
    subscription({
      id: `sub_${i}`,
      customer: `cus_${i % customers.length}`,
      items: [{ price: starter, quantity: 1 }],
      created: 1_700_000_000 + i,
    }),
  );
  const fake = await FakeStripe.start({
    apiKey,
    data: { prices: [starter], customers, subscriptions },
    latencyMs: 50,
    rateLimitPerSecond: 25,
  });
  try {
    // 20 requests per second: below the limit, as the exporter's default throttle is.
    const source = createStripeBillingSource(
      {
        apiKey,
        ...fake.clientOptions,
        maxRequestsPerSecond: 20,
        timeoutSeconds: 30,
        maxRetries: 5,
        channelMetadataKey: 'channel',
        fullSyncIntervalSeconds: 3600,
      },
      pino({ level: 'silent' }),
    );
    try {
      const signal = new AbortController().signal;
      const started = performance.now();
      const snapshot = await source.loadSnapshot(signal);
      const seconds = (performance.now() - started) / 1000;
      const fullRequests = fake.requests.length;

      // Incremental runs with nothing changed: one events page each.
      const idleRuns = 5;
      for (let run = 0; run < idleRuns; run += 1) await source.loadSnapshot(signal);
      const idleRequestsPerRun = (fake.requests.length - fullRequests) / idleRuns;

      // An incremental run after 1% of the subscriptions changed (at most 100).
      const changed = Math.min(100, Math.ceil(count / 100));
      for (let i = 0; i < changed; i += 1) {
        fake.emit(
          'customer.subscription.updated',
          subscription({
            id: `sub_${i * Math.floor(count / changed)}`,
            customer: 'cus_0',
            items: [{ price: starter, quantity: 2 }],
            created: 1_700_000_000 + i,
          }),
        );
      }
      const beforeChanged = fake.requests.length;
      const changedStarted = performance.now();
      await source.loadSnapshot(signal);
      const changedSeconds = (performance.now() - changedStarted) / 1000;

      const rateLimited = fake.requests.filter((r) => r.status === 429).length;
      // Default schedule: a run every 10 minutes, a full sync every hour.
      const idlePerMinute = idleRequestsPerRun / 10 + fullRequests / 60;
      results.push({
        subscriptions: count,
        loaded: snapshot.subscriptions.length,
        fullSyncRequests: fullRequests,
        // One page of 100 per list: subscriptions, customers, prices (1) and coupons (1, empty).
        minimumRequests: Math.ceil(count / 100) + Math.ceil(customers.length / 100) + 2,
        fullSyncSeconds: Number(seconds.toFixed(1)),
        idleIncrementalRequestsPerRun: idleRequestsPerRun,
        changedSubscriptions: changed,
        changedRunRequests: fake.requests.length - beforeChanged,
        changedRunSeconds: Number(changedSeconds.toFixed(2)),
        rateLimitedRequests: rateLimited,
        // Averaged over an hour on the default schedule (incremental runs plus the hourly full sync).
        requestsPerMinuteIdle: Number(idlePerMinute.toFixed(2)),
        // The same before incremental sync: a full sync every run.
        requestsPerMinuteIdleWithoutIncremental: Number((fullRequests / 10).toFixed(1)),
      });
      process.stdout.write(`${JSON.stringify(results.at(-1))}\n`);
    } finally {
      await source.close();
    }
  } finally {
    await fake.close();
  }
}
writeFileSync(
  fileURLToPath(new URL('results/stripe.json', import.meta.url)),
  `${JSON.stringify({ machine: await machine(), results }, null, 2)}\n`,
);
