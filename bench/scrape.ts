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
 * Part 2, the same SQL on the same database: the demo data, then the demo data grown
 * (bench/lib/scale.ts) until the peers export about 1k, 10k and 50k series:
 *   ours-db             - chom-exporter with its default configuration
 *   ours-custom         - chom-exporter running only the peers' pack as `custom` queries
 *   postgres-exporter   - prometheus-postgres-exporter with our queries as --extend.query-path
 *   sql-exporter        - prometheus-sql-exporter (justwatchcom) with our queries as one job
 * Transactions and rows read per scrape come from pg_stat_database deltas around 10
 * scrapes one after the other; transactions per second under load from the deltas
 * around the wrk run (30 s at least, with a 60 s timeout, as a peer's scrape can take
 * seconds).
 *
 *   npx tsx bench/scrape.ts [seconds=10] [all|synthetic|same-sql]
 *     → bench/results/scrape.json (a part run alone keeps the other's last results)
 *       and scrape-wrk-<part>.txt (wrk's full reports)
 *
 * Needs wrk, prometheus-postgres-exporter and prometheus-sql-exporter (Debian) and
 * the local PostgreSQL (127.0.0.1:5432, user postgres) or ADMIN_DATABASE_URL.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import {
  customQueriesConfig,
  type PackQuery,
  postgresExporterQueries,
  recordQueryPack,
  sqlExporterConfig,
} from './lib/query-pack.js';
import { addOrganizations } from './lib/scale.js';

const seconds = Number(process.argv[2] ?? 10);
const part = process.argv[3] ?? 'all';
if (!['all', 'synthetic', 'same-sql'].includes(part)) {
  throw new Error(`part must be all, synthetic or same-sql, not ${part}`);
}
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
      // First 10 scrapes one after the other: the exact cost of one scrape, with no
      // scrape still in flight when the count is read (as there are after wrk stops).
      const startedAt = performance.now();
      for (let i = 0; i < 10; i++) await fetch(server.url).then((r) => r.arrayBuffer());
      const aloneMs = (performance.now() - startedAt) / 10;
      await sleep(12_000);
      before = await db.activity();
      sequential = {
        scrapeAloneMs: Number(aloneMs.toFixed(2)),
        transactionsPerScrape: (before.transactions - start.transactions) / 10,
        rowsReadPerScrape: Math.round((before.rowsRead - start.rowsRead) / 10),
      };
    }
    // A peer whose scrape takes seconds completes few requests in a short run:
    // a longer run, and a timeout long enough that its slowest answers count.
    const load = db ? wrk(server.url, Math.max(seconds, 30), 60) : wrk(server.url, seconds);
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
        // Under load, scrapes still running when wrk stops add transactions but no
        // completed request: per second of load, not per scrape.
        transactionsUnderLoad: transactions,
        transactionsPerSecondUnderLoad: Number((transactions / load.seconds).toFixed(1)),
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

/** Part 1: synthetic series, no database. */
async function syntheticPart(): Promise<Record<string, unknown>[]> {
  // Ours with 0 series gives the RSS of the process itself (Node, tsx, the app and
  // its dependencies) under the same load.
  const results = [
    await measure(
      { syntheticSeries: 0, server: 'ours' },
      await startNode(here('servers/ours.ts'), ['0']),
    ),
  ];
  for (const count of [1_000, 10_000, 50_000]) {
    for (const kind of ['ours', 'bare', 'naive']) {
      const server = await startNode(here(`servers/${kind}.ts`), [String(count)]);
      results.push(await measure({ syntheticSeries: count, server: kind }, server));
    }
  }
  return results;
}

/** The three servers running the same SQL on `db` as it is now. */
async function sameSqlRound(
  db: BenchDatabase,
  pack: readonly PackQuery[],
  configDir: string,
  label: Record<string, unknown>,
): Promise<Record<string, unknown>[]> {
  const dsn = `${db.url}?sslmode=disable`;
  const queryFile = join(configDir, 'queries.yaml');
  const sqlConfig = join(configDir, 'sql-exporter.yml');
  writeFileSync(queryFile, postgresExporterQueries(pack));
  // A one-hour interval: the job runs at start-up only, as our first round does, so
  // whatever the database sees during the load is caused by scrapes.
  writeFileSync(sqlConfig, sqlExporterConfig(pack, dsn, '1h'));
  const customFile = join(configDir, 'custom.json');
  writeFileSync(customFile, JSON.stringify(customQueriesConfig(pack)));
  const results = [
    await measure(
      { ...label, server: 'ours-db' },
      await startNode(here('servers/ours-db.ts'), [db.url]),
      db,
    ),
    await measure(
      { ...label, server: 'ours-custom' },
      await startNode(here('servers/ours-custom.ts'), [db.url, customFile]),
      db,
    ),
  ];
  const pePort = await freePort();
  results.push(
    await measure(
      { ...label, server: 'postgres-exporter' },
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
  results.push(
    await measure(
      { ...label, server: 'sql-exporter' },
      await startBinary(
        'prometheus-sql-exporter',
        ['-config.file', sqlConfig, '-web.listen-address', `127.0.0.1:${sePort}`],
        sePort,
      ),
      db,
    ),
  );
  return results;
}

/**
 * Part 2: the same SQL on the same database, first on the demo data set, then
 * grown (more organizations, the one label whose values grow with the data)
 * until the peers export about 1k, 10k and 50k series.
 */
async function sameSqlPart(): Promise<{ queriesInPack: number; results: unknown[] }> {
  const db = await createBenchDatabase({ seed: true });
  const configDir = mkdtempSync(join(tmpdir(), 'chom-bench-peers-'));
  try {
    const pack = await recordQueryPack(db.url);
    // Kept with the results (database name aside, they are what the peers ran).
    writeFileSync(
      here('results/peer-postgres-exporter-queries.yaml'),
      postgresExporterQueries(pack),
    );
    writeFileSync(
      here('results/peer-sql-exporter.yml'),
      sqlExporterConfig(pack, `${db.url}?sslmode=disable`, '1h'),
    );
    const results = await sameSqlRound(db, pack, configDir, { organizations: 300 });
    // Each health row is one series for the peers: add as many organizations as
    // series are missing from the demo's count.
    const demoSeries = Number(results.find((r) => r.server === 'sql-exporter')?.series);
    let organizations = 300;
    for (const target of [1_000, 10_000, 50_000]) {
      const wanted = 300 + target - demoSeries;
      await addOrganizations(db.url, wanted - organizations);
      organizations = wanted;
      // The pack's literals (the events high-water mark) stay valid: no events are added.
      results.push(
        ...(await sameSqlRound(db, pack, configDir, { organizations, targetSeries: target })),
      );
    }
    return { queriesInPack: pack.length, results };
  } finally {
    rmSync(configDir, { recursive: true, force: true });
    await db.drop();
  }
}

// Either part alone keeps the other's last results.
const previous = existsSync(here('results/scrape.json'))
  ? (JSON.parse(readFileSync(here('results/scrape.json'), 'utf8')) as Record<string, unknown>)
  : {};
/** Runs one part and keeps wrk's full reports for it in results/scrape-wrk-<part>.txt. */
async function run<T>(name: string, body: () => Promise<T>): Promise<T> {
  rawReports.length = 0;
  const result = await body();
  writeFileSync(here(`results/scrape-wrk-${name}.txt`), rawReports.join('\n'));
  return result;
}
const synthetic = part === 'same-sql' ? previous.synthetic : await run('synthetic', syntheticPart);
const sameSql = part === 'synthetic' ? previous.sameSql : await run('same-sql', sameSqlPart);
// Each part records the machine and date it was measured on: a part kept from
// an earlier run keeps its own, so the file never claims one run for both.
const thisMachine = await machine();
const previousMachines = (previous.machines ?? {}) as Record<string, unknown>;
const machines = {
  synthetic: part === 'same-sql' ? previousMachines.synthetic : thisMachine,
  sameSql: part === 'synthetic' ? previousMachines.sameSql : thisMachine,
};

writeFileSync(
  here('results/scrape.json'),
  `${JSON.stringify(
    {
      machines,
      wrk: {
        seconds,
        sameSqlSeconds: Math.max(seconds, 30),
        timeoutSeconds: 10,
        sameSqlTimeoutSeconds: 60,
        threads: 2,
        connections: 8,
        acceptEncoding: 'gzip',
      },
      synthetic,
      sameSql,
    },
    null,
    2,
  )}\n`,
);
