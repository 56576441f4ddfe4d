import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/app/config.js';
import { parseConfig } from '../../src/app/config.js';
import { type RunningService, startService } from '../../src/serve.js';
import { appFixtureSql } from '../fixtures/app-fixture.js';
import { parseExposition, sampleValue } from '../helpers/exposition.js';
import { waitUntil } from '../helpers/processes.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** POST /-/reload swaps in a valid configuration and refuses an invalid one. */
describe('configuration reload over HTTP', () => {
  let db: TestDatabase;
  let service: RunningService;
  let next: () => Config;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(appFixtureSql);
    const base = { server: { host: '127.0.0.1', port: 0 }, database: { url: db.url } };
    next = () => parseConfig(base);
    service = await startService(parseConfig(base), pino({ level: 'silent' }), () => next());
    await waitUntil('ready', 60, async () => (await fetch(`${service.url}/readyz`)).ok);
  });
  afterAll(async () => {
    await service.close();
    await db.drop();
  });

  const scrape = async () => parseExposition(await (await fetch(`${service.url}/metrics`)).text());
  const reload = () => fetch(`${service.url}/-/reload`, { method: 'POST' });

  it('applies a valid configuration', async () => {
    expect(sampleValue(await scrape(), 'chom_nps_score')).toBe(25);
    const before =
      sampleValue(await scrape(), 'chom_config_last_reload_success_timestamp_seconds') ?? 0;
    // A 15-day NPS window leaves only the 10 (1 day ago) and the 9 (10 days ago): NPS 100.
    next = () =>
      parseConfig({
        server: { host: '127.0.0.1', port: 0 },
        database: { url: db.url },
        collectors: { postgres_nps: { windowDays: 15 } },
      });
    const response = await reload();
    expect(response.status).toBe(200);
    // No gap: until the new runner publishes, the last good series are still served.
    expect(sampleValue(await scrape(), 'chom_nps_score')).toBeDefined();
    await waitUntil(
      'the new window applied',
      30,
      async () => sampleValue(await scrape(), 'chom_nps_score') === 100,
    );
    const samples = await scrape();
    expect(sampleValue(samples, 'chom_config_last_reload_successful')).toBe(1);
    expect(
      sampleValue(samples, 'chom_config_last_reload_success_timestamp_seconds'),
    ).toBeGreaterThanOrEqual(before);
  });

  it('refuses an invalid configuration with 400, naming the key, and keeps the running one', async () => {
    next = () => parseConfig({ collectors: { postgres_nps: { windowDays: 'ninety' } } });
    const response = await reload();
    expect(response.status).toBe(400);
    const body = (await response.json()) as { status: string; error: string };
    expect(body.status).toBe('refused');
    expect(body.error).toContain('collectors.postgres_nps.windowDays');
    const samples = await scrape();
    expect(sampleValue(samples, 'chom_config_last_reload_successful')).toBe(0);
    expect(sampleValue(samples, 'chom_nps_score')).toBe(100);
    expect(sampleValue(samples, 'chom_collector_success', { collector: 'postgres_nps' })).toBe(1);
  });

  it('answers 404 to GET /-/reload and keeps serving', async () => {
    expect((await fetch(`${service.url}/-/reload`)).status).toBe(404);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });
});
