/**
 * Every app-database collector on the demo data grown 1x, 10x and 100x
 * (bench/lib/multiply.ts: exact copies of every customer), each collector's
 * round in its own process on the compiled service (dist/, as in production):
 * run time against its default timeout and schedule, the exporter's peak RSS,
 * the series it exports, and every statement it sent run again under
 * EXPLAIN (ANALYZE, BUFFERS): blocks read and any sequential scan of a table
 * over 100,000 rows.
 *
 *   npm run build && npx tsx bench/collectors-scale.ts [factors=1,10,100]
 *     → bench/results/collectors-scale.json, and the tables of bench/README.md on stdout
 *
 * Needs the local PostgreSQL (127.0.0.1:5432, user postgres) or ADMIN_DATABASE_URL;
 * 100x takes about 3 GB of disk and a few minutes to generate. The database is dropped
 * at the end, unless BENCH_KEEP_DATABASE=1 (its URL is then printed, to study a plan by hand).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { collectors } from '../src/collectors/index.js';
import { cronIntervalSeconds } from '../src/shared/cron.js';
import { createBenchDatabase } from './lib/database.js';
import { machine } from './lib/machine.js';
import { multiplyDemo } from './lib/multiply.js';

const factors = (process.argv[2] ?? '1,10,100').split(',').map(Number);
const largeTableRows = 100_000;

interface Statement {
  readonly sql: string;
  readonly params: unknown[];
}
interface Round {
  readonly collector: string;
  readonly seconds: number;
  readonly failed: number;
  readonly maxRssMiB: number;
  readonly series: number;
  readonly statements: Statement[];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

function scans(node: PlanNode, into: PlanNode[] = []): PlanNode[] {
  if (node['Relation Name']) into.push(node);
  for (const child of node.Plans ?? []) scans(child, into);
  return into;
}

function roundOf(url: string, collector: string): Round {
  const out = execFileSync(
    process.execPath,
    [fileURLToPath(new URL('servers/collect-once.mjs', import.meta.url)), url, collector],
    { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  return JSON.parse(out) as Round;
}

async function explain(client: pg.Client, statement: Statement, rowsByTable: Map<string, number>) {
  await client.query('BEGIN READ ONLY');
  try {
    const { rows } = await client.query(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.sql}`,
      statement.params,
    );
    const plan = (rows[0]['QUERY PLAN'] as { Plan: PlanNode; 'Execution Time': number }[])[0];
    if (!plan) throw new Error('EXPLAIN returned no plan');
    const nodes = scans(plan.Plan);
    return {
      executionMs: plan['Execution Time'],
      blocks: (plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0),
      scans: nodes.map(
        (n) =>
          `${n['Node Type']} ${n['Relation Name']}${n['Index Name'] ? ` (${n['Index Name']})` : ''}`,
      ),
      largeSeqScans: nodes
        .filter(
          (n) =>
            n['Node Type'] === 'Seq Scan' &&
            (rowsByTable.get(n['Relation Name'] ?? '') ?? 0) > largeTableRows,
        )
        .map((n) => n['Relation Name'] as string),
    };
  } finally {
    await client.query('ROLLBACK');
  }
}

const db = await createBenchDatabase({ seed: true });
const client = new pg.Client({ connectionString: db.url });
await client.connect();
const results: Record<string, unknown>[] = [];
try {
  for (const factor of factors) {
    const generateStarted = performance.now();
    await multiplyDemo(db.url, factor);
    const generateSeconds = (performance.now() - generateStarted) / 1000;
    const { rows: tables } = await client.query<{ name: string; rows: string; bytes: string }>(
      `SELECT relname AS name, n_live_tup AS rows, pg_total_relation_size(relid) AS bytes
       FROM pg_stat_user_tables ORDER BY n_live_tup DESC`,
    );
    const rowsByTable = new Map(tables.map((t) => [t.name, Number(t.rows)]));
    console.error(`${factor}x generated in ${generateSeconds.toFixed(0)} s`);

    const sqlCollectors = collectors.filter((c) => c.source !== 'config');
    for (const name of [...sqlCollectors.map((c) => c.name), 'all']) {
      const round = roundOf(db.url, name);
      const collector = collectors.find((c) => c.name === name);
      const explained = [];
      for (const statement of round.statements)
        explained.push(await explain(client, statement, rowsByTable));
      const row = {
        factor,
        collector: name,
        seconds: Number(round.seconds.toFixed(3)),
        failed: round.failed,
        maxRssMiB: Math.round(round.maxRssMiB),
        series: round.series,
        timeoutSeconds: collector?.defaultTimeoutSeconds,
        scheduleSeconds: collector ? cronIntervalSeconds(collector.defaultSchedule) : undefined,
        statements: round.statements.length,
        blocks: explained.reduce((sum, e) => sum + e.blocks, 0),
        sqlMs: Number(explained.reduce((sum, e) => sum + e.executionMs, 0).toFixed(1)),
        largeSeqScans: [...new Set(explained.flatMap((e) => e.largeSeqScans))],
        plans: explained.map((e, i) => ({ sql: round.statements[i]?.sql.slice(0, 160), ...e })),
      };
      results.push(row);
      console.error(
        `${factor}x ${name}: ${row.seconds} s, ${row.maxRssMiB} MiB, ${row.series} series, seq scans: ${row.largeSeqScans.join(', ') || 'none'}`,
      );
    }
    results.push({
      factor,
      tables: tables.map((t) => ({ name: t.name, rows: Number(t.rows), bytes: Number(t.bytes) })),
      generateSeconds,
    });
  }
} finally {
  await client.end();
  if (process.env.BENCH_KEEP_DATABASE === '1') {
    await db.keep();
    console.error(`kept database: ${db.url}`);
  } else await db.drop();
}

writeFileSync(
  fileURLToPath(new URL('results/collectors-scale.json', import.meta.url)),
  `${JSON.stringify({ machine: await machine(), results }, null, 2)}\n`,
);

const rounds = results.filter((r) => 'collector' in r) as {
  factor: number;
  collector: string;
  seconds: number;
  maxRssMiB: number;
  series: number;
  timeoutSeconds?: number;
  scheduleSeconds?: number;
  blocks: number;
  largeSeqScans: string[];
  failed: number;
}[];
console.log(
  '| Collector | Data | Run | Margin to timeout | Schedule | Blocks read | Seq scans of tables > 100k rows | Series | Peak RSS |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
for (const r of rounds) {
  const margin = r.timeoutSeconds
    ? `${Math.round(r.timeoutSeconds / Math.max(r.seconds, 0.001))}x`
    : '';
  console.log(
    `| ${r.collector}${r.failed ? ' (failed)' : ''} | ${r.factor}x | ${r.seconds.toFixed(2)} s | ${margin} | ${r.scheduleSeconds ? `${r.scheduleSeconds} s` : ''} | ${r.blocks.toLocaleString('en-US')} | ${r.largeSeqScans.join(', ') || 'none'} | ${r.series} | ${r.maxRssMiB} MiB |`,
  );
}
