import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { type RunningPrometheus, startPrometheus } from '../dashboards/prometheus-server.js';
import { appFixtureSql } from '../fixtures/app-fixture.js';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { parseExposition, sampleValue, seriesOf } from '../helpers/exposition.js';
import { waitUntil } from '../helpers/processes.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const long = 'x'.repeat(10_000);
const hostile = ['quote "q"', 'back\\slash', 'new\nline', 'emoji 🚀📈', long];

/** Rows that try to break the exposition, through an override query on a real database. */
describe('hostile rows', () => {
  let db: TestDatabase;
  let built: ReturnType<typeof buildTestExporter>;
  let app: ReturnType<typeof buildApp>;
  let prometheus: RunningPrometheus | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(appFixtureSql);
    const names = hostile.map((name) => `'${name.replaceAll("'", "''")}'`);
    const rows = [
      // `sent` is text throughout, so that the bad values below reach the exporter as they are.
      ...names.map(
        (name, i) =>
          `SELECT ${name} AS campaign, '${i + 1}'::text AS sent, 0 AS opened, 0 AS clicked, 0 AS converted`,
      ),
      // Non-finite and non-numeric values, and a duplicated label set.
      `SELECT 'nan', 'NaN', 0, 0, 0`,
      `SELECT 'inf', 'Infinity', 0, 0, 0`,
      `SELECT 'text', 'many', 0, 0, 0`,
      `SELECT 'dup', '1', 0, 0, 0`,
      `SELECT 'dup', '2', 0, 0, 0`,
    ];
    built = buildTestExporter(db.url, {
      collectors: {
        ...onlyCollectors('postgres_email_campaigns', 'postgres_referrals'),
        postgres_email_campaigns: {
          maxCampaigns: 200,
          queries: { campaigns: rows.join(' UNION ALL ') },
        },
        // A negative count of new invitations cannot raise a counter: the run fails, nothing added.
        postgres_referrals: {
          queries: {
            sent: 'SELECT -3 AS sent FROM (SELECT $1::timestamptz, $2::timestamptz) AS range',
          },
        },
      },
    });
    await built.exporter.runOnce();
    app = buildApp({ exporter: built.exporter, logger: pino({ level: 'silent' }) });
    await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await prometheus?.stop();
    await app.close();
    await built.close();
    await db.drop();
  });

  it('escapes every label value and rejects bad values by reason, keeping the good rows', async () => {
    const body = await built.exporter.exposition();
    const samples = parseExposition(body);
    const sent = seriesOf(samples, 'chom_email_campaign_sent');
    hostile.forEach((name, i) => {
      // Label values are capped at 128 characters (the long one is cut), and escaped.
      expect(sent[JSON.stringify({ campaign: name.slice(0, 128) })], name.slice(0, 20)).toBe(i + 1);
    });
    expect(sent[JSON.stringify({ campaign: 'dup' })]).toBe(1);
    expect(
      Object.keys(sent).some((k) => k.includes('nan') || k.includes('inf') || k.includes('text')),
    ).toBe(false);
    const rejected = (reason: string, collector = 'postgres_email_campaigns') =>
      sampleValue(samples, 'chom_collector_rows_rejected_total', { collector, reason });
    expect(rejected('not_a_number')).toBe(3);
    expect(rejected('duplicate_series')).toBe(4);
    expect(rejected('negative_counter', 'postgres_referrals')).toBe(1);
    expect(sampleValue(samples, 'chom_referrals_sent_total')).toBeUndefined();
    expect(sampleValue(samples, 'chom_referrals_completed_total')).toBeUndefined();
    expect(
      sampleValue(samples, 'chom_collector_success', { collector: 'postgres_referrals' }),
    ).toBe(0);
    expect(promtoolCheckMetrics(body)).toEqual({ status: 0, output: '' });
  });

  it('is scraped by a real Prometheus with the label values intact', async () => {
    const address = app.server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    prometheus = await startPrometheus({ target: `127.0.0.1:${address.port}`, ruleFiles: [] });
    const running = prometheus;
    await waitUntil(
      'a successful scrape',
      30,
      async () => (await running.query('up == 1')).length > 0,
    );
    const values = await running.labelValues('campaign');
    for (const name of hostile) expect(values).toContain(name.slice(0, 128));
  }, 60_000);
});
