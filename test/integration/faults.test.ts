import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { appFixtureSql } from '../fixtures/app-fixture.js';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { parseExposition, sampleValue } from '../helpers/exposition.js';
import { freePort, tempDir, waitUntil } from '../helpers/processes.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const slowNps = 'SELECT 1 AS promoters, 0 AS passives, 0 AS detractors FROM pg_sleep(30)';

describe('faults', () => {
  let db: TestDatabase;
  const dir = tempDir('chom-faults-');

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(appFixtureSql);
  });
  afterAll(async () => {
    dir.remove();
    await db.drop();
  });

  it('cancels a query slower than the statement timeout on the server; the other collectors run', async () => {
    const { exporter, close } = buildTestExporter(db.url, {
      database: { statementTimeoutSeconds: 1 },
      collectors: {
        ...onlyCollectors('postgres_nps', 'postgres_referrals'),
        postgres_nps: { queries: { responses: slowNps } },
      },
    });
    try {
      expect(await exporter.runOnce()).toBe(1);
      const nps = exporter.runners.find((r) => r.collector.name === 'postgres_nps')?.currentStatus;
      expect(nps?.lastError).toContain('canceling statement due to statement timeout');
      const samples = parseExposition(await exporter.exposition());
      expect(
        sampleValue(samples, 'chom_collector_success', { collector: 'postgres_referrals' }),
      ).toBe(1);
      // Nothing is left running on the server.
      const { rows } = await db.sql(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()",
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await close();
    }
  });

  it('queues collectors behind a one-connection pool instead of failing them', async () => {
    const { exporter, close } = buildTestExporter(db.url, {
      database: { poolSize: 1, connectTimeoutSeconds: 1 },
      collectors: {
        ...onlyCollectors(
          'postgres_nps',
          'postgres_csat',
          'postgres_referrals',
          'postgres_support_tickets',
        ),
        postgres_nps: {
          queries: {
            responses: 'SELECT 1 AS promoters, 0 AS passives, 0 AS detractors FROM pg_sleep(2)',
          },
        },
      },
    });
    try {
      // The slow collector holds the only connection for 2 s, longer than the connect timeout.
      expect(await exporter.runOnce()).toBe(0);
    } finally {
      await close();
    }
  });

  it('cuts a hanging run at its timeout and keeps the schedule of the others', async () => {
    const { exporter, close } = buildTestExporter(db.url, {
      collectors: {
        ...onlyCollectors('postgres_nps', 'postgres_referrals'),
        postgres_nps: {
          timeoutSeconds: 1,
          schedule: '* * * * * *',
          queries: { responses: slowNps },
        },
        postgres_referrals: { schedule: '* * * * * *' },
      },
    });
    try {
      await exporter.start();
      const runs = async () =>
        sampleValue(parseExposition(await exporter.exposition()), 'chom_collector_runs_total', {
          collector: 'postgres_referrals',
        }) ?? 0;
      await waitUntil(
        'the other collector keeps running every second',
        15,
        async () => (await runs()) >= 4,
      );
      const samples = parseExposition(await exporter.exposition());
      expect(
        sampleValue(samples, 'chom_collector_errors_total', { collector: 'postgres_nps' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sampleValue(samples, 'chom_collector_success', { collector: 'postgres_referrals' }),
      ).toBe(1);
    } finally {
      await close();
    }
  });

  it('shuts down gracefully on SIGTERM in the middle of a collection round', async () => {
    const port = await freePort();
    const config = join(dir.path, 'slow.yml');
    writeFileSync(
      config,
      `collectors:\n  postgres_nps:\n    queries:\n      responses: "${slowNps}"\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CHOM_DATABASE_URL: db.url,
        CHOM_PORT: String(port),
        CHOM_HOST: '127.0.0.1',
        CHOM_LOG_LEVEL: 'silent',
        CHOM_CONFIG: config,
      },
      stdio: 'ignore',
    });
    const sleeping = async () =>
      (
        await db.sql(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()",
        )
      ).rows[0].n;
    await waitUntil('the slow query running', 60, async () => (await sleeping()) === 1);
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    // Exit code 0: the graceful path finished (the 10 s watchdog exits with 1).
    expect(await exited).toBe(0);
    // The in-flight query was cut, not left running on the server.
    await waitUntil('the slow query gone', 10, async () => (await sleeping()) === 0);
  }, 90_000);

  it('answers HTTP misuse with a clean 4xx and keeps serving', async () => {
    const { exporter, close } = buildTestExporter(db.url, {
      collectors: onlyCollectors('postgres_referrals'),
    });
    const app = buildApp({
      exporter,
      logger: pino({ level: 'silent' }),
      reload: async () => ({ ok: true }),
    });
    try {
      await exporter.runOnce();
      expect((await app.inject({ method: 'DELETE', url: '/metrics' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: '/metrics' })).statusCode).toBe(404);
      const huge = await app.inject({
        method: 'POST',
        url: '/-/reload',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ junk: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect(huge.statusCode).toBe(413);
      const malformed = await app.inject({
        method: 'POST',
        url: '/-/reload',
        headers: { 'content-type': 'application/json' },
        payload: '{"not json',
      });
      expect(malformed.statusCode).toBe(400);
      expect((await app.inject({ url: '/nope' })).statusCode).toBe(404);
      const metrics = await app.inject({ url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(sampleValue(parseExposition(metrics.body), 'chom_referrals_sent_total')).toBe(3);
    } finally {
      await app.close();
      await close();
    }
  });
});
