import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appFixtureSql } from '../fixtures/app-fixture.js';
import { buildTestExporter } from '../helpers/build-exporter.js';
import { parseExposition, sampleValue, seriesOf } from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** Query overrides, bad rows, read-only enforcement and disappearing rows, on a real database. */
describe('query overrides and bad rows', () => {
  let db: TestDatabase;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(appFixtureSql);
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  afterAll(async () => {
    await db.drop();
  });

  function exporterWith(collectors: Record<string, unknown>) {
    const built = buildTestExporter(db.url, {
      collectors: { analytics_event_counters: { enabled: false }, ...collectors },
    });
    closers.push(built.close);
    return built.exporter;
  }

  it('fails only the collector whose override misses a contract column, naming it', async () => {
    const exporter = exporterWith({
      postgres_nps: { queries: { responses: 'SELECT 1 AS promoters, 2 AS passives' } },
    });
    expect(await exporter.runOnce()).toBe(1);
    const samples = parseExposition(await exporter.exposition());
    expect(sampleValue(samples, 'chom_collector_success', { collector: 'postgres_nps' })).toBe(0);
    expect(sampleValue(samples, 'chom_collector_errors_total', { collector: 'postgres_nps' })).toBe(
      1,
    );
    expect(sampleValue(samples, 'chom_collector_success', { collector: 'postgres_csat' })).toBe(1);
    const status = exporter.runners.find((r) => r.collector.name === 'postgres_nps')?.currentStatus;
    expect(status?.lastError).toContain('"detractors"');
    expect(status?.lastError).toContain('query "responses"');
    expect(sampleValue(samples, 'chom_nps_score')).toBeUndefined();
  });

  it('uses an override that honours the contract', async () => {
    const exporter = exporterWith({
      postgres_nps: {
        queries: { responses: 'SELECT 7 AS promoters, 2 AS passives, 1 AS detractors' },
      },
    });
    await exporter.runOnce();
    const samples = parseExposition(await exporter.exposition());
    expect(sampleValue(samples, 'chom_nps_score')).toBe(60);
  });

  it('rejects and counts NULL and non-numeric values, keeping the good rows', async () => {
    const exporter = exporterWith({
      postgres_marketing_spend: {
        windowsDays: [7],
        calendarWindowsDays: [],
        queries: {
          spend: `SELECT 'paid' AS channel, 'USD' AS currency, 'lots' AS amount
                  UNION ALL SELECT 'social', 'USD', NULL
                  UNION ALL SELECT 'email', 'USD', '12.5'`,
        },
      },
    });
    expect(await exporter.runOnce()).toBe(0);
    const samples = parseExposition(await exporter.exposition());
    expect(seriesOf(samples, 'chom_marketing_spend')).toEqual({
      '{"channel":"email","currency":"USD","window":"7bd"}': 12.5,
    });
    const rejected = { collector: 'postgres_marketing_spend' };
    expect(
      sampleValue(samples, 'chom_collector_rows_rejected_total', {
        ...rejected,
        reason: 'not_a_number',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'chom_collector_rows_rejected_total', {
        ...rejected,
        reason: 'null_value',
      }),
    ).toBe(1);
  });

  it('refuses an override that tries to write, and the data is untouched', async () => {
    const exporter = exporterWith({
      postgres_referrals: {
        queries: {
          sent: `WITH gone AS (DELETE FROM referrals RETURNING 1)
                 SELECT count(*) AS sent FROM gone WHERE $1::timestamptz IS NULL OR $2::timestamptz IS NULL`,
        },
      },
    });
    await exporter.runOnce();
    const status = exporter.runners.find(
      (r) => r.collector.name === 'postgres_referrals',
    )?.currentStatus;
    expect(status?.lastSuccess).toBe(false);
    expect(status?.lastError).toMatch(/read-only transaction/);
    const { rows } = await db.sql('SELECT count(*)::int AS n FROM referrals');
    expect(rows[0].n).toBe(3);
  });

  it('caps per-organization health series to the lowest scores and counts the rest', async () => {
    const exporter = exporterWith({ postgres_customer_health: { maxOrganizations: 2 } });
    await exporter.runOnce();
    const samples = parseExposition(await exporter.exposition());
    expect(Object.keys(seriesOf(samples, 'chom_customer_health_score')).sort()).toEqual([
      '{"organization":"globex"}',
      '{"organization":"initech"}',
    ]);
    expect(sampleValue(samples, 'chom_customer_health_organizations_unlisted')).toBe(1);
  });

  it('drops series whose rows were deleted at the next successful run', async () => {
    const exporter = exporterWith({});
    await exporter.runOnce();
    let samples = parseExposition(await exporter.exposition());
    expect(sampleValue(samples, 'chom_email_campaign_sent', { campaign: 'old-news' })).toBe(1);
    await db.sql('DELETE FROM email_campaign_deliveries WHERE campaign_id = 3');
    await db.sql('DELETE FROM email_campaigns WHERE id = 3');
    await exporter.runOnce();
    samples = parseExposition(await exporter.exposition());
    expect(
      sampleValue(samples, 'chom_email_campaign_sent', { campaign: 'old-news' }),
    ).toBeUndefined();
    expect(sampleValue(samples, 'chom_email_campaign_sent', { campaign: 'spring-launch' })).toBe(3);
  });
});
