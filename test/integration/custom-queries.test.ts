import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { parseExposition, sampleValue, seriesOf } from '../helpers/exposition.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** `custom` SQL metrics on a real database: values, labels, caps, bad rows, policies. */
describe('custom SQL metrics', () => {
  let app: TestDatabase;
  let events: TestDatabase;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    [app, events] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    await app.sql(`CREATE TABLE plan_stats (plan text, seats integer, signups_ever bigint);
      INSERT INTO plan_stats VALUES ('starter', 10, 120), ('pro', 25, 40), ('enterprise', 300, 3)`);
    await events.sql(`CREATE TABLE page_hits (page text);
      INSERT INTO page_hits VALUES ('home'), ('home'), ('pricing')`);
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  afterAll(async () => {
    await Promise.all([app.drop(), events.drop()]);
  });

  const planMetrics = [
    { column: 'seats', name: 'chom_custom_plan_seats', help: 'Seats sold, by plan.' },
    {
      column: 'signups_ever',
      name: 'chom_custom_plan_signups_total',
      type: 'counter',
      help: 'Signups since the start, by plan.',
    },
  ];

  function exporterWith(custom: Record<string, unknown>) {
    const built = buildTestExporter(app.url, {
      events: { url: events.url },
      collectors: onlyCollectors(),
      custom,
    });
    closers.push(built.close);
    return built.exporter;
  }

  it('exports each value column as a gauge or counter labelled by the label columns', async () => {
    const exporter = exporterWith({
      plans: {
        sql: 'SELECT plan, seats, signups_ever FROM plan_stats',
        labels: ['plan'],
        metrics: planMetrics,
      },
    });
    expect(await exporter.runOnce()).toBe(0);
    const text = await exporter.exposition();
    expect(text).toContain('# TYPE chom_custom_plan_seats gauge');
    expect(text).toContain(
      '# HELP chom_custom_plan_signups_total Signups since the start, by plan.',
    );
    expect(text).toContain('# TYPE chom_custom_plan_signups_total counter');
    const samples = parseExposition(text);
    expect(seriesOf(samples, 'chom_custom_plan_seats')).toEqual({
      '{"plan":"starter"}': 10,
      '{"plan":"pro"}': 25,
      '{"plan":"enterprise"}': 300,
    });
    expect(sampleValue(samples, 'chom_custom_plan_signups_total', { plan: 'pro' })).toBe(40);
    expect(sampleValue(samples, 'chom_collector_success', { collector: 'custom_plans' })).toBe(1);
    expect(sampleValue(samples, 'chom_collector_series', { collector: 'custom_plans' })).toBe(6);
    const lint = promtoolCheckMetrics(text);
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
  });

  it('runs on the events database when asked, and drops series whose rows are gone', async () => {
    const exporter = exporterWith({
      pages: {
        source: 'events',
        sql: 'SELECT page, count(*) AS hits FROM page_hits GROUP BY page',
        labels: ['page'],
        metrics: [{ column: 'hits', name: 'chom_custom_page_hits', help: 'Hits by page.' }],
      },
    });
    await exporter.runOnce();
    expect(seriesOf(parseExposition(await exporter.exposition()), 'chom_custom_page_hits')).toEqual(
      {
        '{"page":"home"}': 2,
        '{"page":"pricing"}': 1,
      },
    );
    await events.sql(`DELETE FROM page_hits WHERE page = 'pricing'`);
    await exporter.runOnce();
    expect(seriesOf(parseExposition(await exporter.exposition()), 'chom_custom_page_hits')).toEqual(
      {
        '{"page":"home"}': 2,
      },
    );
  });

  it('keeps the first maxSeries rows in the query order and counts the cut once per run', async () => {
    const exporter = exporterWith({
      plans: {
        sql: 'SELECT plan, seats, signups_ever FROM plan_stats ORDER BY seats DESC',
        labels: ['plan'],
        metrics: planMetrics,
        maxSeries: 2,
      },
    });
    expect(await exporter.runOnce()).toBe(0);
    const samples = parseExposition(await exporter.exposition());
    expect(Object.keys(seriesOf(samples, 'chom_custom_plan_seats')).sort()).toEqual([
      '{"plan":"enterprise"}',
      '{"plan":"pro"}',
    ]);
    expect(
      sampleValue(samples, 'chom_collector_rows_rejected_total', {
        collector: 'custom_plans',
        reason: 'over_max_series',
      }),
    ).toBe(1);
  });

  it('rejects and counts rows with a NULL label or value, keeping the others', async () => {
    const exporter = exporterWith({
      plans: {
        sql: `SELECT plan, seats, signups_ever FROM plan_stats
              UNION ALL SELECT NULL, 1, 1 UNION ALL SELECT 'free', NULL, 1`,
        labels: ['plan'],
        metrics: planMetrics,
      },
    });
    expect(await exporter.runOnce()).toBe(0);
    const samples = parseExposition(await exporter.exposition());
    expect(Object.keys(seriesOf(samples, 'chom_custom_plan_seats'))).toHaveLength(3);
    const rejected = (reason: string) =>
      sampleValue(samples, 'chom_collector_rows_rejected_total', {
        collector: 'custom_plans',
        reason,
      });
    expect(rejected('null_label')).toBe(1);
    expect(rejected('null_value')).toBe(1);
  });

  it('exports a NULL label empty with nullLabels: empty', async () => {
    const exporter = exporterWith({
      plans: {
        sql: `SELECT plan, seats, signups_ever FROM plan_stats UNION ALL SELECT NULL, 1, 1`,
        labels: ['plan'],
        metrics: planMetrics,
        nullLabels: 'empty',
      },
    });
    expect(await exporter.runOnce()).toBe(0);
    const text = await exporter.exposition();
    expect(text).toContain('chom_custom_plan_seats{plan=""} 1');
    expect(Object.keys(seriesOf(parseExposition(text), 'chom_custom_plan_seats'))).toHaveLength(4);
  });

  it('fails the run on no rows with zeroRows: fail, keeping the last values; allows it by default', async () => {
    await app.sql(
      `CREATE TABLE toggles (name text, value integer); INSERT INTO toggles VALUES ('a', 1)`,
    );
    const metrics = [{ column: 'value', name: 'chom_custom_toggle', help: 'A toggle.' }];
    const sql = 'SELECT name, value FROM toggles';
    const strict = exporterWith({
      toggles: { sql, labels: ['name'], metrics, zeroRows: 'fail' },
    });
    const lenient = exporterWith({ toggles: { sql, labels: ['name'], metrics } });
    await strict.runOnce();
    await lenient.runOnce();
    await app.sql('DELETE FROM toggles');
    expect(await strict.runOnce()).toBe(1);
    expect(await lenient.runOnce()).toBe(0);
    const strictSamples = parseExposition(await strict.exposition());
    expect(sampleValue(strictSamples, 'chom_custom_toggle', { name: 'a' })).toBe(1);
    expect(strict.runners[0]?.currentStatus.lastError).toMatch(
      /returned no rows \(custom\.toggles\.zeroRows: fail\)/,
    );
    expect(seriesOf(parseExposition(await lenient.exposition()), 'chom_custom_toggle')).toEqual({});
  });

  it('fails a query that writes (read-only transaction) or misses a column, naming it', async () => {
    const exporter = exporterWith({
      writes: {
        sql: `WITH gone AS (DELETE FROM plan_stats RETURNING seats) SELECT count(*) AS n FROM gone`,
        metrics: [{ column: 'n', name: 'chom_custom_deleted', help: 'h' }],
      },
      misses: {
        sql: 'SELECT 1 AS other',
        metrics: [{ column: 'n', name: 'chom_custom_missing', help: 'h' }],
      },
    });
    expect(await exporter.runOnce()).toBe(2);
    const status = (name: string) =>
      exporter.runners.find((r) => r.collector.name === name)?.currentStatus.lastError;
    expect(status('custom_writes')).toMatch(/read-only transaction/);
    expect(status('custom_misses')).toMatch(/missing column\(s\) "n"/);
    expect((await app.sql('SELECT count(*)::int AS n FROM plan_stats')).rows[0].n).toBe(3);
  });

  it('runs nothing for a disabled entry', async () => {
    const exporter = exporterWith({
      plans: { enabled: false, sql: 'SELECT 1 AS seats', metrics: [planMetrics[0]] },
    });
    expect(exporter.runners.map((r) => r.collector.name)).not.toContain('custom_plans');
  });
});
