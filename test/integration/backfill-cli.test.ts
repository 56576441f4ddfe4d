import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, price, product, subscription, unix } from '../fixtures/stripe-objects.js';
import { FakeStripe } from '../helpers/fake-stripe.js';
import { tempDir, waitUntil } from '../helpers/processes.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * `chom-exporter backfill` as an operator runs it: every refusal (exit 2,
 * naming the flag), and an interrupted run (SIGINT) that a second run
 * completes with every step written exactly once. PATH has no promtool here,
 * so the command stops at the OpenMetrics files and prints what to run.
 */
const cli = ['--import', 'tsx', 'src/cli.ts'];
// No promtool or prometheus on this PATH: the OpenMetrics-only path.
const env = (url: string) => ({
  HOME: process.env.HOME ?? '',
  PATH: '/nonexistent',
  CHOM_DATABASE_URL: url,
});
const from = '2025-01-01';
const to = '2025-02-20T00:00:00Z';
const stepMs = 10 * 60_000;

function run(args: string[], url: string) {
  const result = spawnSync(process.execPath, [...cli, 'backfill', ...args], {
    encoding: 'utf8',
    env: env(url),
    timeout: 240_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every sample line of the OpenMetrics files: series → timestamps (ms) → value. */
function samplesIn(dir: string): Map<string, Map<number, number>> {
  const series = new Map<string, Map<number, number>>();
  const omDir = join(dir, 'openmetrics');
  for (const file of readdirSync(omDir).filter((f) => f.endsWith('.om'))) {
    for (const line of readFileSync(join(omDir, file), 'utf8').split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const [timestamp, value, ...rest] = line.split(' ').reverse();
      const key = rest.reverse().join(' ');
      const points = series.get(key) ?? new Map<number, number>();
      const ms = Number(timestamp) * 1000;
      expect(points.has(ms), `${key} at ${ms} written twice`).toBe(false);
      points.set(ms, Number(value));
      series.set(key, points);
    }
  }
  return series;
}

describe('chom-exporter backfill (CLI)', () => {
  let db: TestDatabase;
  const dir = tempDir('chom-backfill-cli-');
  const config = join(dir.path, 'config.yml');

  beforeAll(async () => {
    db = await createTestDatabase();
    // Signups every 6 hours through January 2025, each with a channel.
    await db.sql(
      `INSERT INTO analytics_events (occurred_at, event_name, anonymous_id, properties)
       SELECT timestamptz '2025-01-01 00:00:00+00' + g * interval '6 hours', 'signed_up', 'a' || g,
              jsonb_build_object('channel', (ARRAY['organic','paid'])[1 + g % 2])
       FROM generate_series(0, 123) AS g`,
    );
    writeFileSync(
      config,
      [
        'collectors:',
        '  only: [analytics_event_counters, postgres_nps, config_kpi_targets]',
        'custom:',
        '  live_only:',
        '    sql: SELECT 1 AS v',
        '    metrics: [{ column: v, name: chom_custom_backfill_test, help: One. }]',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    dir.remove();
    await db?.drop();
  });

  it('describes itself with --help', () => {
    const result = run(['--help'], db.url);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: chom-exporter backfill --from DATE');
  });

  it.each([
    [['--to', to, '--out', 'x'], '--from: required'],
    [['--from', 'yesterday', '--out', 'x'], '--from: "yesterday" is not a date'],
    [['--from', '2025-01-01T00:00', '--out', 'x'], '--from: "2025-01-01T00:00" is not a date'],
    [
      ['--from', from, '--to', '2999-01-01', '--out', 'x'],
      '--to: 2999-01-01T00:00:00.000Z is in the future',
    ],
    [
      ['--from', '2025-02-01', '--to', '2025-01-01', '--out', 'x'],
      '--from: 2025-02-01T00:00:00.000Z is not before --to',
    ],
    [['--from', from, '--to', from, '--out', 'x'], 'is not before --to'],
    [
      ['--from', from, '--to', to, '--step', '0h', '--out', 'x'],
      '--step: "0h" is not a positive duration',
    ],
    [
      ['--from', from, '--to', to, '--step=-1h', '--out', 'x'],
      '--step: "-1h" is not a positive duration',
    ],
    [
      ['--from', from, '--to', to, '--step', 'hourly', '--out', 'x'],
      '--step: "hourly" is not a positive duration',
    ],
    [['--from', from, '--to', to], '--out: required'],
    [
      ['--from', from, '--to', to, '--out', 'x', '--concurrency', '0'],
      '--concurrency: "0" is not a whole number',
    ],
    [
      ['--from', from, '--to', to, '--out', 'x', '--promtool', '/nonexistent/promtool'],
      '--promtool: /nonexistent/promtool is not an executable file',
    ],
  ])('refuses %j with exit 2: %s', (args, message) => {
    const result = run(args, db.url);
    expect(result.stderr).toContain(message);
    expect(result.status).toBe(2);
  });

  it('refuses a folder that holds something else', () => {
    const other = join(dir.path, 'other');
    run(
      [
        '--from',
        from,
        '--to',
        '2025-01-01T01:00:00Z',
        '--out',
        join(other, 'sub'),
        '--config',
        config,
      ],
      db.url,
    );
    const result = run(['--from', from, '--to', to, '--out', other, '--config', config], db.url);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`--out: ${other} is not empty and holds no backfill (sub)`);
  });

  it('is interrupted by SIGINT, keeps the finished chunks, and a second run completes every step exactly once', async () => {
    const out = join(dir.path, 'resume');
    const args = ['--from', from, '--to', to, '--step', '10m', '--out', out, '--config', config];
    const child = spawn(process.execPath, [...cli, 'backfill', ...args], { env: env(db.url) });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const omDir = join(out, 'openmetrics');
    await waitUntil(
      'the first chunk file',
      120,
      () => existsSync(omDir) && readdirSync(omDir).some((f) => f.endsWith('.om')),
    );
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(stderr).toContain('run the same command again to continue where it stopped');
    expect(stderr).toContain(
      'skipping collector custom_live_only: custom_live_only is live-only: its SQL does not use $at',
    );
    const state = JSON.parse(readFileSync(join(out, 'backfill-state.json'), 'utf8'));
    const total = (Date.parse(to) - Date.parse(`${from}T00:00:00Z`)) / stepMs + 1;
    const doneAfterInterrupt =
      (Date.parse(state.doneThrough) - Date.parse(`${from}T00:00:00Z`)) / stepMs + 1;
    expect(doneAfterInterrupt).toBeGreaterThan(0);
    expect(doneAfterInterrupt).toBeLessThan(total);
    expect(readdirSync(omDir).filter((f) => f.endsWith('.om'))).toHaveLength(state.chunks.length);

    // Same step, another config: refused, naming --config; another step: naming --step.
    const otherConfig = join(dir.path, 'other.yml');
    writeFileSync(otherConfig, 'collectors:\n  only: [config_kpi_targets]\n');
    const refusedConfig = run([...args.slice(0, -1), otherConfig], db.url);
    expect(refusedConfig.status).toBe(2);
    expect(refusedConfig.stderr).toContain('--config: ');
    const refusedStep = run(
      ['--from', from, '--to', to, '--step', '1h', '--out', out, '--config', config],
      db.url,
    );
    expect(refusedStep.status).toBe(2);
    expect(refusedStep.stderr).toContain('--step: ');
    const refusedFrom = run(
      ['--from', '2025-01-02', '--to', to, '--step', '10m', '--out', out, '--config', config],
      db.url,
    );
    expect(refusedFrom.status).toBe(2);
    expect(refusedFrom.stderr).toContain('--from: ');

    const second = run(args, db.url);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain(
      `backfilled ${total} steps (${total - doneAfterInterrupt} in this run)`,
    );
    expect(second.stdout).toContain('promtool was not found');
    expect(second.stdout).toContain('promtool tsdb create-blocks-from openmetrics');
    expect(second.stdout).toContain('skipped: custom_live_only');

    const series = samplesIn(out);
    const grid = Array.from(
      { length: total },
      (_, i) => Date.parse(`${from}T00:00:00Z`) + i * stepMs,
    );
    const signups = series.get('chom_funnel_signups_total{job="chom-exporter"}');
    expect([...(signups?.keys() ?? [])]).toEqual(grid);
    for (const [key, points] of series) expect([...points.keys()], key).toEqual(grid);
    expect([...series.keys()].some((key) => key.startsWith('chom_custom_backfill_test'))).toBe(
      false,
    );
    // The grouped pass counts the events at or before each step, as SQL counts them here.
    for (const at of [grid[0], grid[100], grid[2000], grid.at(-1)] as number[]) {
      const { rows } = await db.sql(
        `SELECT count(*) FILTER (WHERE properties->>'channel' = 'organic')::int AS organic, count(*)::int AS n
         FROM analytics_events WHERE event_name = 'signed_up' AND occurred_at <= $1`,
        [new Date(at).toISOString()],
      );
      expect(signups?.get(at), new Date(at).toISOString()).toBe(rows[0].n);
      expect(
        series.get('chom_users_signups_total{job="chom-exporter",channel="organic"}')?.get(at),
      ).toBe(rows[0].organic);
    }

    // Run again: nothing left to do, nothing written twice.
    const third = run(args, db.url);
    expect(third.status, third.stderr).toBe(0);
    expect(third.stdout).toContain(`backfilled ${total} steps (0 in this run)`);
    samplesIn(out);
  }, 300_000);

  it('reads Stripe once for the whole range, not once a step', async () => {
    const apiKey = 'sk_test_BackfillOnce';
    const starter = price({
      id: 'price_starter',
      product: product('prod_starter', { tier: 'starter' }),
      unitAmount: 2900,
    });
    const fake = await FakeStripe.start({
      apiKey,
      data: {
        prices: [starter],
        coupons: [],
        customers: [customer({ id: 'cus_1' })],
        subscriptions: [
          subscription({
            id: 'sub_1',
            customer: 'cus_1',
            created: unix('2024-12-01T00:00:00Z'),
            items: [{ price: starter, quantity: 1 }],
            discounts: [],
          }),
        ],
        invoices: [],
      },
    });
    const stripeDir = tempDir('chom-backfill-stripe-');
    try {
      const stripeConfig = join(stripeDir.path, 'config.yml');
      const { host, port, protocol } = fake.clientOptions;
      writeFileSync(
        stripeConfig,
        [
          'collectors:',
          '  only: [billing_mrr]',
          '  billing_mrr: { source: stripe }',
          `stripe: { host: "${host}", port: ${port}, protocol: ${protocol} }`,
          '',
        ].join('\n'),
      );
      const out = join(stripeDir.path, 'out');
      // Asynchronous: the local Stripe server answers from this process.
      const child = spawn(
        process.execPath,
        [
          ...cli,
          'backfill',
          '--config',
          stripeConfig,
          '--from',
          '2025-01-01',
          '--to',
          '2025-01-02',
          '--step',
          '1h',
          '--out',
          out,
        ],
        { env: { ...env(db.url), CHOM_STRIPE_API_KEY: apiKey } },
      );
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += String(chunk);
      });
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(status, stderr).toBe(0);
      // One full read (the four lists, then the paid invoices) for 25 steps, no events poll.
      const paths = fake.requests.map((r) => r.path);
      expect(paths).toEqual([
        '/v1/prices',
        '/v1/coupons',
        '/v1/customers',
        '/v1/subscriptions',
        '/v1/invoices',
      ]);
      const mrr = [...samplesIn(out)].filter(([key]) => key.startsWith('chom_revenue_mrr{'));
      const points = mrr.flatMap(([, values]) => [...values.values()]).filter((v) => v !== 0);
      expect(points).toEqual(Array.from({ length: 25 }, () => 29));
    } finally {
      stripeDir.remove();
      await fake.close();
    }
  }, 120_000);
});
