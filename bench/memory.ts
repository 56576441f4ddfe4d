/**
 * Memory at rest: the resident set of the production start (`node dist/cli.js
 * serve`, compiled, no tsx) on the demo data, idle with its default collectors
 * and then also serving 50,000 series of a custom query, against
 * prometheus-postgres-exporter (a Go exporter) in the same run, idle with its
 * default collectors and then serving the same 50,000 rows through
 * --extend.query-path. Each is read after its first collection and a few
 * scrapes, then again after a minute at rest.
 *
 *   npm run build && npx tsx bench/memory.ts   → bench/results/memory.json
 *
 * Needs prometheus-postgres-exporter (Debian) and the local PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { freePort } from '../src/net/free-port.js';
import { createBenchDatabase } from './lib/database.js';
import { rssMegabytes, type Server, startBinary } from './lib/load.js';
import { machine } from './lib/machine.js';

const series = 50_000;
const restSeconds = Number(process.argv[2] ?? 60);
const bigQuery = `SELECT 'row-' || g AS k, g AS v FROM generate_series(1, ${series}) AS g`;
const dir = mkdtempSync(join(tmpdir(), 'chom-bench-memory-'));

async function startOurs(url: string, custom: boolean): Promise<Server> {
  const port = await freePort();
  const configFile = join(dir, `ours-${custom}.yaml`);
  writeFileSync(
    configFile,
    stringify({
      server: { host: '127.0.0.1', port },
      database: { url },
      log: { level: 'warn' },
      ...(custom
        ? {
            custom: {
              big: {
                sql: bigQuery,
                labels: ['k'],
                maxSeries: series,
                schedule: '0 * * * *',
                metrics: [{ column: 'v', name: 'chom_custom_bench_value', help: 'One per row.' }],
              },
            },
          }
        : {}),
    }),
  );
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('../dist/cli.js', import.meta.url)), 'serve', '--config', configFile],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`chom-exporter exited with ${child.exitCode}`);
    const ready = await fetch(`${base}/readyz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ready)
      return {
        url: `${base}/metrics`,
        pid: child.pid ?? 0,
        stop: async () => {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        },
      };
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error('chom-exporter not ready in 60 s');
}

async function startPeer(dsn: string, custom: boolean): Promise<Server> {
  const port = await freePort();
  const args = [`--web.listen-address=127.0.0.1:${port}`, '--log.level=error'];
  if (custom) {
    const queryFile = join(dir, 'peer-queries.yaml');
    writeFileSync(
      queryFile,
      stringify({
        chom_custom_bench: {
          query: bigQuery,
          metrics: [
            { k: { usage: 'LABEL' } },
            { v: { usage: 'GAUGE', description: 'One per row.' } },
          ],
        },
      }),
    );
    args.push(`--extend.query-path=${queryFile}`);
  }
  return startBinary('prometheus-postgres-exporter', args, port, { DATA_SOURCE_NAME: dsn });
}

async function measure(server: string, mode: string, running: Server) {
  let scraped = 0;
  for (let i = 0; i < 5; i++) {
    const body = await (await fetch(running.url)).text();
    scraped = body.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
  }
  const afterScrapes = rssMegabytes(running.pid);
  await sleep(restSeconds * 1000);
  const atRest = rssMegabytes(running.pid);
  await running.stop();
  const row = {
    server,
    mode,
    seriesServed: scraped,
    rssAfterScrapesMB: afterScrapes,
    rssAtRestMB: atRest,
  };
  console.error(JSON.stringify(row));
  return row;
}

const db = await createBenchDatabase({ seed: true });
const dsn = `${db.url}?sslmode=disable`;
const results = [];
try {
  results.push(
    await measure(
      'chom-exporter (dist)',
      'idle, default collectors',
      await startOurs(db.url, false),
    ),
  );
  results.push(
    await measure('postgres-exporter', 'idle, default collectors', await startPeer(dsn, false)),
  );
  results.push(
    await measure(
      'chom-exporter (dist)',
      `+ ${series.toLocaleString('en-US')} series`,
      await startOurs(db.url, true),
    ),
  );
  results.push(
    await measure(
      'postgres-exporter',
      `+ ${series.toLocaleString('en-US')} series`,
      await startPeer(dsn, true),
    ),
  );
} finally {
  await db.drop();
}
writeFileSync(
  fileURLToPath(new URL('results/memory.json', import.meta.url)),
  `${JSON.stringify({ machine: await machine(), restSeconds, results }, null, 2)}\n`,
);
console.log(
  '| Server | Serving | Series served | RSS after 5 scrapes | RSS after a minute at rest |',
);
console.log('| --- | --- | ---: | ---: | ---: |');
for (const r of results)
  console.log(
    `| ${r.server} | ${r.mode} | ${r.seriesServed.toLocaleString('en-US')} | ${r.rssAfterScrapesMB} MB | ${r.rssAtRestMB} MB |`,
  );
