import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { appFixtureSql } from '../fixtures/app-fixture.js';
import { buildTestExporter } from '../helpers/build-exporter.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

describe('exposition on a real scrape', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(appFixtureSql);
    await db.sql(`INSERT INTO analytics_events (occurred_at, event_name, properties)
      VALUES (now(), 'signed_up', '{"channel":"paid"}'), (now(), 'page_viewed', '{"page":"home"}')`);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('passes promtool check metrics with no problem reported', async () => {
    const { exporter, close } = buildTestExporter(db.url);
    const app = buildApp({ exporter, logger: pino({ level: 'silent' }) });
    try {
      expect(await exporter.runOnce()).toBe(0);
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      if (typeof address !== 'object' || !address) throw new Error('no address');
      const response = await fetch(`http://127.0.0.1:${address.port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const body = await response.text();
      expect(body).toContain('chom_users_active_daily');
      const { status, output } = promtoolCheckMetrics(body);
      expect(output).toBe('');
      expect(status).toBe(0);
      // No sample carries a timestamp, and Prometheus-owned names are never emitted.
      for (const line of body.split('\n').filter((l) => l && !l.startsWith('#'))) {
        expect(line.split(' ')).toHaveLength(2);
        expect(line).not.toMatch(/^(up|scrape_)/);
      }
    } finally {
      await app.close();
      await close();
    }
  });
});
