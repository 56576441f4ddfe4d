/**
 * `chom-exporter backfill` on the demo data: DAYS days up to today's midnight
 * UTC at STEP (default a year at 1 h), every backfillable collector, with
 * promtool and prometheus when on PATH. Reports wall time per phase, steps per
 * second, time inside collectors (and of it in the grouped passes, read once
 * for the range), the database's work (transactions and rows read, from
 * pg_stat_database), the OpenMetrics size and the peak RSS.
 *
 *   npx tsx bench/backfill.ts [days=365] [step=1h] [concurrency=2] [events=0]
 *     → bench/results/backfill-<days>d-<step>[-<events>-events].json
 *
 * `events` > 0 first grows the events table to that many rows (bench/lib/events.ts:
 * deterministic, the demo's mix and span); the other tables stay at the demo's size.
 *
 * Needs the local PostgreSQL (127.0.0.1:5432, user postgres) or ADMIN_DATABASE_URL.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { parseConfig } from '../src/app/config.js';
import { closeSources } from '../src/app/create-sources.js';
import { buildSources } from '../src/app/service.js';
import { findExecutable } from '../src/backfill/promtool-steps.js';
import { runBackfill } from '../src/backfill/run-backfill.js';
import { parseDuration } from '../src/backfill/time-arguments.js';
import { createBenchDatabase } from './lib/database.js';
import { growEvents } from './lib/events.js';
import { machine } from './lib/machine.js';

const days = Number(process.argv[2] ?? 365);
const step = process.argv[3] ?? '1h';
const concurrency = Number(process.argv[4] ?? 2);
const events = Number(process.argv[5] ?? 0);
const stepMs = parseDuration(step) ?? 3_600_000;
const dayMs = 86_400_000;
const to = Math.floor(Date.now() / dayMs) * dayMs;
const from = to - days * dayMs;

const config = parseConfig({});
const db = await createBenchDatabase({ seed: true });
const generating = performance.now();
if (events > 0) {
  await growEvents(db.url, events);
  // Its statistics flushed before the bench's are read.
  await db.disconnected();
}
const generatedSeconds = (performance.now() - generating) / 1000;
const out = mkdtempSync(join(tmpdir(), 'chom-bench-backfill-'));
const sources = buildSources(config, { url: db.url }, pino({ level: 'silent' }));
const before = await db.activity();
const started = performance.now();
const phases: Record<string, number> = {};
let mark = started;
const stderr = Object.assign(Object.create(process.stderr), {
  write(text: string) {
    // The phase lines mark when OpenMetrics ends and blocks, then rules, begin.
    const now = performance.now();
    if (text.startsWith('creating blocks') && phases.openmetricsSeconds === undefined) {
      phases.openmetricsSeconds = (now - mark) / 1000;
      mark = now;
    }
    if (
      text.startsWith("recording rules' history: layer 1") &&
      phases.blocksSeconds === undefined
    ) {
      phases.blocksSeconds = (now - mark) / 1000;
      mark = now;
    }
    return process.stderr.write(text);
  },
}) as NodeJS.WriteStream;
try {
  const promtool = findExecutable('promtool');
  const prometheus = findExecutable('prometheus');
  const outcome = await runBackfill(
    config,
    sources,
    {
      from,
      to,
      stepMs,
      out,
      concurrency,
      job: 'chom-exporter',
      ...(promtool ? { promtool } : {}),
      ...(prometheus ? { prometheus } : {}),
    },
    { log: pino({ level: 'warn' }), stderr, interrupt: new AbortController().signal },
  );
  const seconds = (performance.now() - started) / 1000;
  phases.rulesSeconds = (performance.now() - mark) / 1000;
  await closeSources(sources);
  await db.disconnected();
  const after = await db.activity();
  const omBytes = readdirSync(join(out, 'openmetrics')).reduce(
    (sum, f) => sum + statSync(join(out, 'openmetrics', f)).size,
    0,
  );
  const result = {
    machine: await machine(),
    days,
    step,
    concurrency,
    ...(events > 0 ? { events, generatedEventsSeconds: Number(generatedSeconds.toFixed(1)) } : {}),
    steps: outcome.stepsTotal,
    seconds: Number(seconds.toFixed(1)),
    stepsPerSecond: Number(
      (outcome.stepsTotal / (phases.openmetricsSeconds ?? seconds) || 0).toFixed(2),
    ),
    phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Number(v.toFixed(1))])),
    collectorSeconds: Number(outcome.collectorSeconds.toFixed(1)),
    groupedPassSeconds: Number(outcome.groupedSeconds.toFixed(1)),
    database: {
      transactions: after.transactions - before.transactions,
      rowsRead: after.rowsRead - before.rowsRead,
    },
    openMetricsMiB: Number((omBytes / 2 ** 20).toFixed(1)),
    blocks: readdirSync(join(out, 'data')).length,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    skipped: outcome.skipped.map((s) => s.collector),
  };
  const suffix = events > 0 ? `-${events >= 1e6 ? `${events / 1e6}M` : events}-events` : '';
  const file = fileURLToPath(
    new URL(`results/backfill-${days}d-${step}${suffix}.json`, import.meta.url),
  );
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\nwrote ${file}\n`);
} finally {
  rmSync(out, { recursive: true, force: true });
  await db.drop();
}
