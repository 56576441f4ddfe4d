/**
 * The backfill's memory over a range: the OpenMetrics phase of `chom-exporter
 * backfill` (every backfillable collector at every step, the chunks written;
 * no promtool) on a fresh seeded demo database, with process.memoryUsage()
 * sampled every 500 ms. Run under `node --expose-gc` (NODE_OPTIONS), it also
 * forces a full collection every 15 s and records the live heap then: what
 * the run keeps, apart from what V8 has not collected yet. A live heap that
 * grows with the steps is a leak; a peak RSS that grows while the live heap
 * stays flat is only V8 sizing its heap.
 *
 *   npx tsx bench/backfill-memory.ts [days=30] [step=1h]
 *   NODE_OPTIONS=--expose-gc npx tsx bench/backfill-memory.ts 30
 *     → bench/results/backfill-memory-<days>d-<step>[-gc].json
 *
 * Needs the local PostgreSQL (127.0.0.1:5432, user postgres) or ADMIN_DATABASE_URL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { parseConfig } from '../src/app/config.js';
import { closeSources } from '../src/app/create-sources.js';
import { buildSources } from '../src/app/service.js';
import { runBackfill } from '../src/backfill/run-backfill.js';
import { parseDuration } from '../src/backfill/time-arguments.js';
import { createBenchDatabase } from './lib/database.js';
import { machine } from './lib/machine.js';

const days = Number(process.argv[2] ?? 30);
const step = process.argv[3] ?? '1h';
const stepMs = parseDuration(step) ?? 3_600_000;
const dayMs = 86_400_000;
const to = Math.floor(Date.now() / dayMs) * dayMs;
const from = to - days * dayMs;
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const collectGarbage = (globalThis as { gc?: () => void }).gc;

const config = parseConfig({});
const db = await createBenchDatabase({ seed: true });
const out = mkdtempSync(join(tmpdir(), 'chom-bench-backfill-memory-'));
const sources = buildSources(config, { url: db.url }, pino({ level: 'silent' }));
const timeline: { seconds: number; rssMiB: number; heapUsedMiB: number; heapTotalMiB: number }[] =
  [];
const liveHeapMiB: number[] = [];
const started = performance.now();
const sampling = setInterval(() => {
  const usage = process.memoryUsage();
  timeline.push({
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    rssMiB: mib(usage.rss),
    heapUsedMiB: mib(usage.heapUsed),
    heapTotalMiB: mib(usage.heapTotal),
  });
}, 500);
const collecting =
  collectGarbage &&
  setInterval(() => {
    collectGarbage();
    liveHeapMiB.push(mib(process.memoryUsage().heapUsed));
  }, 15_000);
try {
  // The progress lines are not what is measured here.
  const quiet = Object.assign(Object.create(process.stderr), {
    write: () => true,
  }) as NodeJS.WriteStream;
  const outcome = await runBackfill(
    config,
    sources,
    { from, to, stepMs, out, concurrency: 2, job: 'chom-exporter' },
    { log: pino({ level: 'warn' }), stderr: quiet, interrupt: new AbortController().signal },
  );
  clearInterval(sampling);
  if (collecting) clearInterval(collecting);
  const peak = (key: 'rssMiB' | 'heapUsedMiB' | 'heapTotalMiB') =>
    Math.max(...timeline.map((sample) => sample[key]));
  const result = {
    machine: await machine(),
    days,
    step,
    steps: outcome.stepsTotal,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    peakHeapUsedMiB: peak('heapUsedMiB'),
    peakHeapTotalMiB: peak('heapTotalMiB'),
    ...(collectGarbage ? { liveHeapMiB } : {}),
    timeline,
  };
  const file = fileURLToPath(
    new URL(
      `results/backfill-memory-${days}d-${step}${collectGarbage ? '-gc' : ''}.json`,
      import.meta.url,
    ),
  );
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  const { timeline: _, ...summary } = result;
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\nwrote ${file}\n`);
} finally {
  clearInterval(sampling);
  if (collecting) clearInterval(collecting);
  await closeSources(sources);
  rmSync(out, { recursive: true, force: true });
  await db.drop();
}
