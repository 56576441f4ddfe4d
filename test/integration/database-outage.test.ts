import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { parseExposition, sampleValue } from '../helpers/exposition.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

async function waitFor(condition: () => Promise<boolean>, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`condition not met within ${seconds}s`);
}

/** The database is down at startup, comes back, then goes away again. */
describe('database outage', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let proxiedUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(`INSERT INTO organizations (id, slug, name) OVERRIDING SYSTEM VALUE VALUES (1, 'o', 'O');
      INSERT INTO users (id, organization_id, email) OVERRIDING SYSTEM VALUE VALUES (1, 1, 'a@o.test');
      INSERT INTO referrals (referrer_user_id, referred_email, completed_at) VALUES (1, 'x@y.test', now()), (1, 'z@y.test', NULL);`);
    const target = new URL(db.url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432), false);
    const port = await proxy.listen();
    target.host = `127.0.0.1:${port}`;
    proxiedUrl = target.toString();
  });
  afterAll(async () => {
    await proxy.close();
    await db.drop();
  });

  it('serves /metrics while the database is down, recovers by itself, and keeps last good values', async () => {
    const only = onlyCollectors('postgres_referrals');
    const { exporter, close } = buildTestExporter(proxiedUrl, {
      database: { connectTimeoutSeconds: 1 },
      collectors: { ...only, postgres_referrals: { schedule: '* * * * * *', timeoutSeconds: 5 } },
    });
    const app = buildApp({ exporter, logger: pino({ level: 'silent' }) });
    const scrape = async () => {
      const response = await app.inject({ url: '/metrics' });
      expect(response.statusCode).toBe(200);
      return parseExposition(response.body);
    };
    try {
      expect(await exporter.start()).toBe(1);
      let samples = await scrape();
      expect(
        sampleValue(samples, 'chom_collector_success', { collector: 'postgres_referrals' }),
      ).toBe(0);
      expect(sampleValue(samples, 'chom_referrals_sent_total')).toBeUndefined();
      expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);

      proxy.enable();
      await waitFor(async () => sampleValue(await scrape(), 'chom_referrals_sent_total') === 2, 10);
      samples = await scrape();
      expect(
        sampleValue(samples, 'chom_collector_success', { collector: 'postgres_referrals' }),
      ).toBe(1);
      const lastSuccess = sampleValue(samples, 'chom_collector_last_success_timestamp_seconds', {
        collector: 'postgres_referrals',
      });

      proxy.disable();
      await waitFor(
        async () =>
          sampleValue(await scrape(), 'chom_collector_success', {
            collector: 'postgres_referrals',
          }) === 0,
        10,
      );
      samples = await scrape();
      // The last good values are still served, and their age is visible.
      expect(sampleValue(samples, 'chom_referrals_sent_total')).toBe(2);
      expect(sampleValue(samples, 'chom_referrals_completed_total')).toBe(1);
      expect(
        sampleValue(samples, 'chom_collector_last_success_timestamp_seconds', {
          collector: 'postgres_referrals',
        }),
      ).toBeLessThanOrEqual(Number(lastSuccess) + 2);
      expect(
        sampleValue(samples, 'chom_collector_errors_total', { collector: 'postgres_referrals' }),
      ).toBeGreaterThan(1);
    } finally {
      await app.close();
      await close();
    }
  });
});
