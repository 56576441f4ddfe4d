/**
 * The plan of every query a backfill step runs: each backfillable collector
 * evaluated as of a past instant (DAYS_AGO days before today, at noon UTC),
 * every statement also run under EXPLAIN (ANALYZE, BUFFERS) in the same
 * read-only transaction. Reports per statement its time, the rows its scan
 * nodes read (returned + removed by filter, times loops), the buffers it
 * touched and the tables it scans sequentially.
 *
 *   npx tsx bench/backfill-explain.ts [daysAgo=180] [factor=1]   → bench/results/backfill-explain[-<factor>x].json
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { parseConfig } from '../src/app/config.js';
import { closeSources } from '../src/app/create-sources.js';
import { buildSources } from '../src/app/service.js';
import { evaluateAt, evaluationDeps } from '../src/backfill/evaluate.js';
import { backfillCollectors } from '../src/backfill/run-backfill.js';
import type { Sources } from '../src/collectors/sources.js';
import type { QueryFn } from '../src/sources/sql-source.js';
import { createBenchDatabase } from './lib/database.js';
import { machine } from './lib/machine.js';
import { multiplyDemo } from './lib/multiply.js';

const daysAgo = Number(process.argv[2] ?? 180);
const factor = Number(process.argv[3] ?? 1);
const dayMs = 86_400_000;
const at = Math.floor(Date.now() / dayMs) * dayMs - daysAgo * dayMs + dayMs / 2;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

/** Rows read by the plan's scan nodes, and the tables scanned sequentially (with rows read). */
function scans(node: PlanNode, out: { rows: number; seq: Record<string, number> }): void {
  if (node['Relation Name']) {
    const read =
      (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops'];
    out.rows += read;
    if (node['Node Type'] === 'Seq Scan')
      out.seq[node['Relation Name']] = (out.seq[node['Relation Name']] ?? 0) + read;
  }
  for (const child of node.Plans ?? []) scans(child, out);
}

const statements: Record<string, unknown>[] = [];

function explaining(source: Sources['app'], collector: () => string): Sources['app'] {
  return {
    ...source,
    readOnly: (signal, work) =>
      source.readOnly(signal, (query) => {
        const wrapped: QueryFn = async (sql, params, options) => {
          const { rows } = await query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
          const plans = rows[0]?.['QUERY PLAN'] as
            | { Plan: PlanNode; 'Execution Time': number }[]
            | undefined;
          const plan = plans?.[0];
          if (plan) {
            const found = { rows: 0, seq: {} as Record<string, number> };
            scans(plan.Plan, found);
            statements.push({
              collector: collector(),
              statement: sql.replace(/\s+/g, ' ').slice(0, 90),
              ms: Number(plan['Execution Time'].toFixed(2)),
              rowsRead: found.rows,
              buffers: plan.Plan['Shared Hit Blocks'] + plan.Plan['Shared Read Blocks'],
              seqScans: found.seq,
            });
          }
          return query(sql, params, options);
        };
        return work(wrapped);
      }),
  };
}

const config = parseConfig({});
const db = await createBenchDatabase({ seed: true });
try {
  if (factor > 1) await multiplyDemo(db.url, factor);
  const sources = buildSources(config, { url: db.url }, pino({ level: 'silent' }));
  let current = '';
  const wrapped: Sources = {
    ...sources,
    app: explaining(sources.app, () => current),
    events: explaining(sources.events, () => current),
  };
  const deps = evaluationDeps(config, wrapped, pino({ level: 'warn' }));
  for (const enabled of backfillCollectors(config).run) {
    current = enabled.collector.name;
    await evaluateAt(enabled, at, deps);
  }
  await closeSources(sources);
  const result = {
    machine: await machine(),
    factor,
    at: new Date(at).toISOString(),
    statements: statements.sort((a, b) => Number(b.rowsRead) - Number(a.rowsRead)),
  };
  const suffix = factor > 1 ? `-${factor}x` : '';
  const file = fileURLToPath(new URL(`results/backfill-explain${suffix}.json`, import.meta.url));
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  for (const s of result.statements) process.stdout.write(`${JSON.stringify(s)}\n`);
} finally {
  await db.drop();
}
