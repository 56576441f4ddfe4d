import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { closeSources } from '../../src/app/create-sources.js';
import { buildExporter, buildSources } from '../../src/app/service.js';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import {
  type ParsedSample,
  parseExposition,
  sampleValue,
  seriesOf,
} from '../helpers/exposition.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** Rows a collector refused for a reason, as its self-metric reports them. */
function rejectedRows(samples: readonly ParsedSample[], collector: string, reason: string) {
  return sampleValue(samples, 'chom_collector_rows_rejected_total', { collector, reason });
}

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
        sql: 'SELECT plan, seats, signups_ever FROM plan_stats ORDER BY seats DESC;',
        labels: ['plan'],
        metrics: planMetrics,
        maxSeries: 1,
      },
    });
    expect(await exporter.runOnce()).toBe(0);
    await exporter.runOnce();
    const samples = parseExposition(await exporter.exposition());
    expect(seriesOf(samples, 'chom_custom_plan_seats')).toEqual({ '{"plan":"enterprise"}': 300 });
    // Two runs, each over the cap: one rejection per run, not one per dropped row.
    expect(rejectedRows(samples, 'custom_plans', 'over_max_series')).toBe(2);
  });

  it('never reads past maxSeries + 1 rows: the cap is applied by the database', async () => {
    // Row 4 divides by zero: the query fails if the database computes it.
    const sql = `SELECT x::text AS n, 1 / (4 - x) AS v FROM generate_series(1, 6) AS x -- trailing comment`;
    const metrics = [{ column: 'v', name: 'chom_custom_capped', help: 'h' }];
    const capped = exporterWith({ capped: { sql, labels: ['n'], metrics, maxSeries: 2 } });
    expect(await capped.runOnce()).toBe(0);
    expect(
      Object.keys(seriesOf(parseExposition(await capped.exposition()), 'chom_custom_capped')),
    ).toHaveLength(2);
    const uncapped = exporterWith({ capped: { sql, labels: ['n'], metrics, maxSeries: 10 } });
    expect(await uncapped.runOnce()).toBe(1);
    expect(uncapped.runners[0]?.currentStatus.lastError).toMatch(/division by zero/);
  });

  it('keeps the first of rows that repeat a label set and counts the others in one rejection', async () => {
    const exporter = exporterWith({
      plans: {
        sql: 'SELECT seats FROM plan_stats ORDER BY seats',
        metrics: [planMetrics[0]],
      },
    });
    expect(await exporter.runOnce()).toBe(0);
    const samples = parseExposition(await exporter.exposition());
    expect(seriesOf(samples, 'chom_custom_plan_seats')).toEqual({ '{}': 10 });
    expect(rejectedRows(samples, 'custom_plans', 'duplicate_series')).toBe(2);
  });

  it('counts every bad row but logs one line per reason per run', async () => {
    const config = parseConfig({
      database: { url: app.url },
      collectors: onlyCollectors(),
      custom: {
        noisy: {
          // 10 NULL values, then 20 good rows over 2 label sets: 18 repeats.
          sql: `SELECT (x % 2)::text AS n, CASE WHEN x <= 10 THEN NULL ELSE x END AS v
                FROM generate_series(1, 30) AS x ORDER BY x`,
          labels: ['n'],
          metrics: [{ column: 'v', name: 'chom_custom_noisy', help: 'h' }],
        },
      },
    });
    const lines: { msg: string; reason?: string; rows?: number }[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const sources = buildSources(config, { url: app.url }, pino({ level: 'silent' }));
    const exporter = buildExporter(config, sources, log).exporter;
    closers.push(async () => {
      await exporter.stop();
      await closeSources(sources);
    });
    expect(await exporter.runOnce()).toBe(0);
    const samples = parseExposition(await exporter.exposition());
    expect(seriesOf(samples, 'chom_custom_noisy')).toEqual({ '{"n":"1"}': 11, '{"n":"0"}': 12 });
    expect(rejectedRows(samples, 'custom_noisy', 'null_value')).toBe(10);
    expect(rejectedRows(samples, 'custom_noisy', 'duplicate_series')).toBe(18);
    expect(lines.map((line) => [line.reason, line.rows, line.msg])).toEqual([
      ['null_value', 10, 'rejected 10 rows'],
      ['duplicate_series', 18, 'rejected 18 rows'],
    ]);
  });

  it('rejects a row with a negative counter before repeats, so a good repeat is kept', async () => {
    const exporter = exporterWith({
      totals: {
        sql: `SELECT * FROM (VALUES ('a', -5, 1), ('a', 7, 2), ('b', 3, 3)) AS t(k, total, level)`,
        labels: ['k'],
        metrics: [
          { column: 'total', name: 'chom_custom_things_total', type: 'counter', help: 'h' },
          { column: 'level', name: 'chom_custom_level', help: 'h' },
        ],
      },
    });
    expect(await exporter.runOnce()).toBe(0);
    const samples = parseExposition(await exporter.exposition());
    expect(seriesOf(samples, 'chom_custom_things_total')).toEqual({
      '{"k":"a"}': 7,
      '{"k":"b"}': 3,
    });
    expect(seriesOf(samples, 'chom_custom_level')).toEqual({ '{"k":"a"}': 2, '{"k":"b"}': 3 });
    expect(rejectedRows(samples, 'custom_totals', 'negative_counter')).toBe(1);
    expect(rejectedRows(samples, 'custom_totals', 'duplicate_series')).toBeUndefined();
  });

  it('exports dates, timestamps and json as PostgreSQL prints them, whatever the process time zone', async () => {
    const exporter = exporterWith({
      days: {
        sql: `SELECT date '2026-11-01' AS day, timestamp '2026-11-01 12:30' AS local_time,
                     timestamptz '2026-11-01 12:30:00+02' AS utc_time, '{"a":1}'::jsonb AS tag, 1 AS n`,
        labels: ['day', 'local_time', 'utc_time', 'tag'],
        metrics: [{ column: 'n', name: 'chom_custom_day', help: 'h' }],
      },
    });
    const zone = process.env.TZ;
    // pg would parse a date or a timestamp without zone as local time: far from UTC here.
    process.env.TZ = 'Pacific/Auckland';
    try {
      expect(await exporter.runOnce()).toBe(0);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    const [labels] = parseExposition(await exporter.exposition())
      .filter((s) => s.name === 'chom_custom_day')
      .map((s) => s.labels);
    expect(labels).toEqual({
      day: '2026-11-01',
      local_time: '2026-11-01 12:30:00',
      utc_time: '2026-11-01 10:30:00+00',
      tag: '{"a": 1}',
    });
  });

  it('counts over_max_series on the rows read, even when one of them is rejected', async () => {
    const exporter = exporterWith({
      series: {
        sql: `SELECT x::text AS n, CASE WHEN x = 1 THEN NULL ELSE x END AS v
              FROM generate_series(1, 100) AS x ORDER BY x`,
        labels: ['n'],
        metrics: [{ column: 'v', name: 'chom_custom_capped_rows', help: 'h' }],
        maxSeries: 2,
      },
    });
    expect(await exporter.runOnce()).toBe(0);
    const samples = parseExposition(await exporter.exposition());
    // Rows 1 and 2 were read; row 1 has a NULL value; row 3 is past the cap.
    expect(seriesOf(samples, 'chom_custom_capped_rows')).toEqual({ '{"n":"2"}': 2 });
    expect(rejectedRows(samples, 'custom_series', 'null_value')).toBe(1);
    expect(rejectedRows(samples, 'custom_series', 'over_max_series')).toBe(1);
  });

  it('takes a query ending in semicolons and comments, reading dollar-quoted text as text', async () => {
    const exporter = exporterWith({
      tail: {
        sql: 'SELECT $$costs $5; really$$ AS p, 1 AS n; -- one row\n/* done */ ;',
        labels: ['p'],
        metrics: [{ column: 'n', name: 'chom_custom_tail', help: 'h' }],
      },
    });
    expect(await exporter.runOnce()).toBe(0);
    expect(seriesOf(parseExposition(await exporter.exposition()), 'chom_custom_tail')).toEqual({
      '{"p":"costs $5; really"}': 1,
    });
  });

  it('starts a redeclared query over, and forgets a removed one, on reconfigure', async () => {
    const plans = {
      sql: `SELECT plan, seats FROM plan_stats UNION ALL SELECT NULL, 1`,
      labels: ['plan'],
      metrics: [planMetrics[0]],
    };
    const built = buildTestExporter(app.url, { collectors: onlyCollectors(), custom: { plans } });
    closers.push(built.close);
    const { exporter } = built;
    await exporter.runOnce();
    const reconfigure = async (custom: Record<string, unknown>) => {
      const config = parseConfig({
        database: { url: app.url },
        collectors: onlyCollectors(),
        custom,
      });
      const sources = buildSources(config, { url: app.url }, pino({ level: 'silent' }));
      closers.push(() => closeSources(sources));
      await exporter.reconfigure(config, sources);
      return parseExposition(await exporter.exposition());
    };
    const self = (samples: ReturnType<typeof parseExposition>, metric: string, reason?: string) =>
      sampleValue(samples, metric, {
        collector: 'custom_plans',
        ...(reason === undefined ? {} : { reason }),
      });

    // Same declaration, new SQL: the old series and status carry over until the next run.
    let samples = await reconfigure({
      plans: { ...plans, sql: `${plans.sql} UNION ALL SELECT 'free', 0` },
    });
    expect(Object.keys(seriesOf(samples, 'chom_custom_plan_seats'))).toHaveLength(3);
    expect(self(samples, 'chom_collector_series')).toBe(3);
    expect(exporter.runners[0]?.currentStatus.lastSuccess).toBe(true);

    // The metric loses its label: nothing of the old declaration is served.
    samples = await reconfigure({
      plans: { ...plans, sql: 'SELECT sum(seats) AS seats FROM plan_stats', labels: [] },
    });
    expect(seriesOf(samples, 'chom_custom_plan_seats')).toEqual({});
    expect(self(samples, 'chom_collector_series')).toBe(0);
    expect(self(samples, 'chom_collector_success')).toBeUndefined();
    expect(self(samples, 'chom_collector_rows_rejected_total', 'null_label')).toBeUndefined();
    expect(self(samples, 'chom_collector_interval_seconds')).toBe(300);
    expect(self(samples, 'chom_collector_runs_total')).toBe(0);
    expect(exporter.runners[0]?.currentStatus.lastSuccess).toBeUndefined();
    await exporter.runOnce();
    expect(
      seriesOf(parseExposition(await exporter.exposition()), 'chom_custom_plan_seats'),
    ).toEqual({ '{}': 335 });

    // Removed: no series and no self-metrics left.
    samples = await reconfigure({});
    expect(samples.some((s) => s.labels.collector === 'custom_plans')).toBe(false);
    expect(seriesOf(samples, 'chom_custom_plan_seats')).toEqual({});
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
    expect(rejectedRows(samples, 'custom_plans', 'null_label')).toBe(1);
    expect(rejectedRows(samples, 'custom_plans', 'null_value')).toBe(1);
  });

  it('cuts label values at 128 characters, as every label is', async () => {
    const exporter = exporterWith({
      plans: {
        sql: `SELECT repeat('p', 10000) || plan AS plan, seats, signups_ever FROM plan_stats
              WHERE plan = 'pro'`,
        labels: ['plan'],
        metrics: planMetrics,
      },
    });
    expect(await exporter.runOnce()).toBe(0);
    const text = await exporter.exposition();
    const samples = parseExposition(text);
    expect(seriesOf(samples, 'chom_custom_plan_seats')).toEqual({
      [JSON.stringify({ plan: 'p'.repeat(128) })]: 25,
    });
    expect(promtoolCheckMetrics(text).status).toBe(0);
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

  it('refuses several statements, so none can leave the read-only transaction', async () => {
    const exporter = exporterWith({
      escape: {
        sql: 'SELECT 1 AS n; COMMIT; BEGIN READ WRITE; DELETE FROM plan_stats; SELECT 1 AS n',
        metrics: [{ column: 'n', name: 'chom_custom_escape', help: 'h' }],
      },
    });
    expect(await exporter.runOnce()).toBe(1);
    expect(exporter.runners[0]?.currentStatus.lastError).toMatch(/syntax error/);
    expect((await app.sql('SELECT count(*)::int AS n FROM plan_stats')).rows[0].n).toBe(3);
  });

  it('fails a query that writes (read-only transaction) or misses a column, naming it', async () => {
    await app.sql('CREATE SEQUENCE IF NOT EXISTS ticks');
    const exporter = exporterWith({
      writes: {
        sql: `SELECT nextval('ticks') AS n`,
        metrics: [{ column: 'n', name: 'chom_custom_deleted', help: 'h' }],
      },
      deletes: {
        sql: `WITH gone AS (DELETE FROM plan_stats RETURNING seats) SELECT count(*) AS n FROM gone`,
        metrics: [{ column: 'n', name: 'chom_custom_deleted_rows', help: 'h' }],
      },
      misses: {
        sql: 'SELECT 1 AS other',
        metrics: [{ column: 'n', name: 'chom_custom_missing', help: 'h' }],
      },
    });
    expect(await exporter.runOnce()).toBe(3);
    const status = (name: string) =>
      exporter.runners.find((r) => r.collector.name === name)?.currentStatus.lastError;
    expect(status('custom_writes')).toMatch(/read-only transaction/);
    // A data-modifying WITH is refused before it runs: the query is run as a subquery.
    expect(status('custom_deletes')).toMatch(/data-modifying statement must be at the top level/);
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
