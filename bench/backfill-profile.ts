/**
 * Where a backfill's per-step time and database work go: each backfillable
 * collector alone, evaluated as a backfill evaluates it (its grouped series
 * hook when it has one, else its as-of form at every step) over STEPS steps
 * spread over the last year, one at a time. Reports per collector the time
 * per step and the rows read and transactions per step (pg_stat_database of
 * the bench database, read after the collector's connections closed, so that
 * each collector's backends have flushed their statistics).
 *
 *   npx tsx bench/backfill-profile.ts [steps=48] [factor=1]   → bench/results/backfill-profile[-<factor>x].json
 *
 * `factor` > 1 grows the demo with bench/lib/multiply.ts first.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { parseConfig } from '../src/app/config.js';
import { closeSources } from '../src/app/create-sources.js';
import { buildSources } from '../src/app/service.js';
import { contextAt, evaluateAt, evaluationDeps } from '../src/backfill/evaluate.js';
import { backfillCollectors } from '../src/backfill/run-backfill.js';
import { seriesHookOf } from '../src/backfill/series-hook.js';
import { createBenchDatabase } from './lib/database.js';
import { machine } from './lib/machine.js';
import { multiplyDemo } from './lib/multiply.js';

const steps = Number(process.argv[2] ?? 48);
const factor = Number(process.argv[3] ?? 1);
const dayMs = 86_400_000;
const to = Math.floor(Date.now() / dayMs) * dayMs;
// Steps spread evenly over the year (a whole number of hours apart), as a backfill's would be.
const stepMs = Math.floor((365 * dayMs) / steps / 3_600_000) * 3_600_000;
const firstMs = to - (steps - 1) * stepMs;

const config = parseConfig({});
const db = await createBenchDatabase({ seed: true });
try {
  if (factor > 1) await multiplyDemo(db.url, factor);
  const { run } = backfillCollectors(config);
  const rows: Record<string, unknown>[] = [];
  for (const enabled of run) {
    const sources = buildSources(config, { url: db.url }, pino({ level: 'silent' }));
    const deps = evaluationDeps(config, sources, pino({ level: 'warn' }));
    const before = await db.activity();
    const started = performance.now();
    const hook = seriesHookOf(enabled.collector);
    const { ctx } = contextAt(enabled, firstMs + (steps - 1) * stepMs, deps);
    const at = hook ? await hook(ctx, { firstMs, stepMs, count: steps }) : undefined;
    if (at) {
      for (let i = 0; i < steps; i += 1) await at(i);
    } else {
      for (let i = 0; i < steps; i += 1) await evaluateAt(enabled, firstMs + i * stepMs, deps);
    }
    const seconds = (performance.now() - started) / 1000;
    await closeSources(sources);
    await db.disconnected();
    const after = await db.activity();
    const row = {
      collector: enabled.collector.name,
      form: at ? 'grouped pass' : 'per step',
      msPerStep: Number(((seconds * 1000) / steps).toFixed(1)),
      rowsReadPerStep: Math.round((after.rowsRead - before.rowsRead) / steps),
      transactionsPerStep: Number(((after.transactions - before.transactions) / steps).toFixed(2)),
    };
    rows.push(row);
    process.stderr.write(`${JSON.stringify(row)}\n`);
  }
  const result = {
    machine: await machine(),
    factor,
    steps,
    stepHours: stepMs / 3_600_000,
    collectors: rows.sort((a, b) => Number(b.rowsReadPerStep) - Number(a.rowsReadPerStep)),
  };
  const suffix = factor > 1 ? `-${factor}x` : '';
  const file = fileURLToPath(new URL(`results/backfill-profile${suffix}.json`, import.meta.url));
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
} finally {
  await db.drop();
}
