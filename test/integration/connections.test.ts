import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { startService } from '../../src/serve.js';
import { onlyCollectors } from '../helpers/build-exporter.js';
import { freePort, tempDir, waitUntil } from '../helpers/processes.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** Two custom queries that sleep far longer than the test, on a schedule that never comes round. */
const sleepers = Object.fromEntries(
  ['one', 'two'].map((name) => [
    `sleep_${name}`,
    {
      sql: 'SELECT 1 AS v FROM pg_sleep(300)',
      schedule: '0 0 1 1 *',
      timeoutSeconds: 600,
      metrics: [{ column: 'v', name: `chom_custom_sleep_${name}`, help: 'Sleeps.' }],
    },
  ]),
);

/** The exporter's backends on this test's database: all of them, and those running pg_sleep. */
async function backends(db: TestDatabase): Promise<{ all: number; sleeping: number }> {
  const { rows } = await db.sql(
    `SELECT count(*)::int AS all,
            count(*) FILTER (WHERE state = 'active' AND query LIKE '%pg_sleep(300)%')::int AS sleeping
     FROM pg_stat_activity
     WHERE datname = current_database() AND application_name = 'chom-exporter'`,
  );
  return rows[0] as { all: number; sleeping: number };
}

/** JSON log lines of a child process, and its exit code. */
function serve(env: Record<string, string>, config: string) {
  const lines: { level: number; msg: string }[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'serve', '--config', config],
    {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CHOM_HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let buffered = '';
  child.stdout?.on('data', (chunk) => {
    buffered += String(chunk);
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, lines, exited };
}

describe('database connections', () => {
  let db: TestDatabase;
  const dir = tempDir('chom-connections-');

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    dir.remove();
    await db.drop();
  });

  it('reloads cancel the runs they cut and never hold more than poolSize connections', async () => {
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 0 },
      database: { url: db.url, poolSize: 2, statementTimeoutSeconds: 600 },
      collectors: onlyCollectors(),
      custom: sleepers,
    });
    const service = await startService(config, pino({ level: 'silent' }), () => config);
    const reload = async () => {
      const response = await fetch(`${service.url}/-/reload`, {
        method: 'POST',
        signal: AbortSignal.timeout(30_000),
      });
      expect(response.status).toBe(200);
    };
    try {
      await waitUntil('both queries running', 20, async () => (await backends(db)).sleeping === 2);
      let most = 0;
      for (let round = 0; round < 12; round += 1) {
        // One at a time, then a burst of concurrent requests.
        if (round % 3 === 2) await Promise.all(Array.from({ length: 5 }, reload));
        else await reload();
        most = Math.max(most, (await backends(db)).all);
      }
      // The last generation's two queries run; the cut ones were cancelled, not left behind.
      await waitUntil('the new runs started', 20, async () => (await backends(db)).sleeping === 2);
      expect(most).toBeLessThanOrEqual(2);
      expect((await backends(db)).all).toBeLessThanOrEqual(2);
    } finally {
      await service.close();
    }
    await waitUntil('every connection closed', 10, async () => (await backends(db)).all === 0);
  }, 120_000);

  it('SIGTERM cancels the queries in flight, logs no error and exits 0', async () => {
    const config = join(dir.path, 'sleepers.yml');
    writeFileSync(config, JSON.stringify({ collectors: onlyCollectors(), custom: sleepers }));
    const port = await freePort();
    const { child, lines, exited } = serve(
      { CHOM_DATABASE_URL: db.url, CHOM_PORT: String(port), CHOM_LOG_LEVEL: 'info' },
      config,
    );
    try {
      await waitUntil('both queries running', 60, async () => (await backends(db)).sleeping === 2);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Cancelled before the process left: nothing sleeps on for minutes.
    await waitUntil('the queries gone', 5, async () => (await backends(db)).all === 0);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.map((line) => line.msg)).toContain('shutting down');
  }, 120_000);

  it('SIGTERM while connecting to a database that never answers exits 0 at once', async () => {
    const accepted: Socket[] = [];
    const silent = createServer((socket) => {
      accepted.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    const config = join(dir.path, 'slow-connect.yml');
    writeFileSync(config, 'database:\n  connectTimeoutSeconds: 120\n');
    const port = await freePort();
    const { child, lines, exited } = serve(
      {
        CHOM_DATABASE_URL: `postgres://nobody@127.0.0.1:${address.port}/app`,
        CHOM_PORT: String(port),
        CHOM_LOG_LEVEL: 'info',
      },
      config,
    );
    try {
      await waitUntil('a connection attempt', 60, () => accepted.length > 0);
      child.kill('SIGTERM');
      // The graceful path finished: the 10 s watchdog would exit 1.
      expect(await exited).toBe(0);
      expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  }, 120_000);
});
