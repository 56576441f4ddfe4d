/**
 * Scrape throughput, latency, database load and RSS. Each server runs in its own
 * process (so its RSS is its own) and wrk drives it with 2 threads and 8
 * connections, asking for gzip as Prometheus does.
 *
 * Part 1, synthetic series (1k, 10k, 50k), no database:
 *   ours  - chom-exporter's app serving a synthetic collector from its render-once cache
 *   bare  - a bare node:http server writing a cached gzip buffer of the same bytes (the limit)
 *   naive - prom-client rendering and gzipping the registry at every scrape
 *
 * Part 2, the same SQL on the same database (demo data), at each one's natural series count:
 *   ours-db             - chom-exporter with its default configuration
 *   postgres-exporter   - prometheus-postgres-exporter with our queries as --extend.query-path
 *   sql-exporter        - prometheus-sql-exporter (justwatchcom) with our queries as one job
 * Transactions per scrape come from pg_stat_database deltas around the wrk run.
 *
 *   npx tsx bench/scrape.ts [seconds=10]   → bench/results/scrape.json, scrape-wrk.txt
 *
 * Needs wrk, prometheus-postgres-exporter and prometheus-sql-exporter (Debian) and
 * the local PostgreSQL (127.0.0.1:5432, user postgres) or ADMIN_DATABASE_URL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/net/free-port.js';
import { type BenchDatabase, createBenchDatabase } from './lib/database.js';
import {
  exposition,
  rssMegabytes,
  type Server,
  settledExposition,
  startBinary,
  startNode,
  wrk,
} from './lib/load.js';
import { machine } from './lib/machine.js';
import { postgresExporterQueries, recordQueryPack, sqlExporterConfig } from './lib/query-pack.js';

const seconds = Number(process.argv[2] ?? 10);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const rawReports: string[] = [];

/** One wrk run against a started server; the server is stopped afterwards in every case. */
async function measure(
  label: Record<string, unknown>,
  server: Server,
  db?: BenchDatabase,
): Promise<Record<string, unknown>> {
  try {
    const size = db ? await settledExposition(server.url) : await exposition(server.url);
    let before: Awaited<ReturnType<BenchDatabase['activity']>> | undefined;
    let sequential = {};
    if (db) {
      // A backend flushes its statistics at most 10 s after going idle: wait, so the
      // start-up queries (our first round, the peers' first scrape) are all in `before`.
      await sleep(12_000);
      const start = await db.activity();
      // First 10 scrapes one after the other: the exact count per scrape, with no
      // scrape still in flight when the count is read (as there are after wrk stops).
      for (let i = 0; i < 10; i++) await fetch(server.url).then((r) => r.arrayBuffer());
      await sleep(12_000);
      before = await db.activity();
      sequential = {
        sequentialTransactionsPerScrape: (before.transactions - start.transactions) / 10,
      };
    }
    const load = wrk(server.url, seconds);
    const rss = rssMegabytes(server.pid);
    await server.stop();
    let database = {};
    if (db && before) {
      // Backends flush their statistics as they exit, once the server's connections are closed.
      await db.disconnected();
      const after = await db.activity();
      const transactions = after.transactions - before.transactions;
      database = {
        ...sequential,
        transactions,
        transactionsPerScrape: Number((transactions / load.requests).toFixed(3)),
        rowsReadPerScrape: Math.round((after.rowsRead - before.rowsRead) / load.requests),
      };
    }
    const { raw, ...numbers } = load;
    rawReports.push(`## ${JSON.stringify(label)}\n${raw}`);
    const result = { ...label, ...size, ...numbers, rssMegabytes: rss, ...database };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return result;
  } finally {
    await server.stop();
  }
}

// Part 1: synthetic series, no database. Ours with 0 series gives the RSS of the
// process itself (Node, tsx, the app and its dependencies) under the same load.
const synthetic: Record<string, unknown>[] = [];
synthetic.push(
  await measure(
    { syntheticSeries: 0, server: 'ours' },
    await startNode(here('servers/ours.ts'), ['0']),
  ),
);
for (const count of [1_000, 10_000, 50_000]) {
  for (const kind of ['ours', 'bare', 'naive']) {
    const server = await startNode(here(`servers/${kind}.ts`), [String(count)]);
    synthetic.push(await measure({ syntheticSeries: count, server: kind }, server));
  }
}

// Part 2: the same SQL on the same database.
const sameSql: Record<string, unknown>[] = [];
const db = await createBenchDatabase({ seed: true });
const configDir = mkdtempSync(join(tmpdir(), 'chom-bench-peers-'));
let queries = 0;
try {
  const pack = await recordQueryPack(db.url);
  queries = pack.length;
  const dsn = `${db.url}?sslmode=disable`;
  const queryFile = join(configDir, 'queries.yaml');
  const sqlConfig = join(configDir, 'sql-exporter.yml');
  writeFileSync(queryFile, postgresExporterQueries(pack));
  // A one-hour interval: the job runs at start-up only, as our first round does, so
  // whatever the database sees during the load is caused by scrapes.
  writeFileSync(sqlConfig, sqlExporterConfig(pack, dsn, '1h'));
  // Kept with the results (database name aside, they are what the peers ran).
  writeFileSync(here('results/peer-postgres-exporter-queries.yaml'), postgresExporterQueries(pack));
  writeFileSync(here('results/peer-sql-exporter.yml'), sqlExporterConfig(pack, dsn, '1h'));

  sameSql.push(
    await measure({ server: 'ours-db' }, await startNode(here('servers/ours-db.ts'), [db.url]), db),
  );
  const pePort = await freePort();
  sameSql.push(
    await measure(
      { server: 'postgres-exporter' },
      await startBinary(
        'prometheus-postgres-exporter',
        [
          `--extend.query-path=${queryFile}`,
          // Only our queries: no built-in server metrics, so the load is the same SQL.
          '--disable-default-metrics',
          '--disable-settings-metrics',
          '--no-collector.database',
          '--no-collector.bgwriter',
          `--web.listen-address=127.0.0.1:${pePort}`,
          '--log.level=error',
        ],
        pePort,
        { DATA_SOURCE_NAME: dsn },
      ),
      db,
    ),
  );
  const sePort = await freePort();
  sameSql.push(
    await measure(
      { server: 'sql-exporter' },
      await startBinary(
        'prometheus-sql-exporter',
        ['-config.file', sqlConfig, '-web.listen-address', `127.0.0.1:${sePort}`],
        sePort,
      ),
      db,
    ),
  );
} finally {
  rmSync(configDir, { recursive: true, force: true });
  await db.drop();
}

writeFileSync(
  here('results/scrape.json'),
  `${JSON.stringify(
    {
      machine: await machine(),
      wrk: { seconds, threads: 2, connections: 8, acceptEncoding: 'gzip' },
      synthetic,
      sameSql: { queriesInPack: queries, results: sameSql },
    },
    null,
    2,
  )}\n`,
);
writeFileSync(here('results/scrape-wrk.txt'), rawReports.join('\n'));
