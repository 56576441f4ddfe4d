import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { collectors } from '../../src/collectors/index.js';
import { type RunningService, startService } from '../../src/serve.js';
import { type ParsedSample, parseExposition } from '../helpers/exposition.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';

/** What `npm start` does on a fresh machine: no database configured, so demo mode. */
describe('demo mode', () => {
  let service: RunningService;
  let body: string;
  let samples: ParsedSample[];

  beforeAll(async () => {
    service = await startService(
      parseConfig({ server: { host: '127.0.0.1', port: 0 } }),
      pino({ level: 'silent' }),
    );
    const deadline = Date.now() + 90_000;
    while ((await fetch(`${service.url}/readyz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('demo mode not ready within 90 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    body = await (await fetch(`${service.url}/metrics`)).text();
    samples = parseExposition(body);
  }, 120_000);

  afterAll(async () => {
    await service?.close();
  });

  it('runs every collector successfully on the embedded database', () => {
    const success = samples.filter((s) => s.name === 'chom_collector_success');
    expect(success.map((s) => s.labels.collector).sort()).toEqual(
      collectors.map((c) => c.name).sort(),
    );
    expect(success.filter((s) => s.value !== 1)).toEqual([]);
  });

  it.each(
    collectors.flatMap((c) =>
      c.metrics.filter((m) => m.seedName).map((m) => [m.name, c.name] as const),
    ),
  )('serves %s (from %s) with a non-zero value', (metric) => {
    const values = samples.filter((s) => s.name === metric).map((s) => s.value);
    expect(values.length).toBeGreaterThan(0);
    expect(values.some((v) => v !== 0)).toBe(true);
  });

  // The same-window billing facts the acquisition, churn and per-plan KPIs divide.
  it.each([
    'chom_customers_by_tier',
    'chom_customers_acquired_in_window',
    'chom_revenue_new_mrr_in_window',
    'chom_customer_churn_window_ratio',
    'chom_customers_window_start',
    'chom_customers_churned_in_window',
  ])('serves %s with a non-zero value', (metric) => {
    const values = samples.filter((s) => s.name === metric).map((s) => s.value);
    expect(values.some((v) => v !== 0)).toBe(true);
  });

  it('says it is demo data on the landing page', async () => {
    const page = await (await fetch(`${service.url}/`)).text();
    expect(page).toContain('DEMO MODE');
    expect(page).toContain('CHOM_DATABASE_URL');
  });

  it('passes promtool check metrics', () => {
    expect(promtoolCheckMetrics(body)).toEqual({ status: 0, output: '' });
  });
});
