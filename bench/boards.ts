/**
 * The boards over 30, 90 and 400 days of backfilled history: `chom-exporter
 * backfill` (compiled, dist/) of the demo for DAYS days at STEP into a TSDB,
 * a real Prometheus started on it, then every panel query of each board
 * answered as Grafana asks it when the board opens: the variable queries
 * (label values over the range), range panels through /api/v1/query_range at
 * step = range / 1000 points, instant panels through /api/v1/query at the end
 * of the range, with $__rate_interval and $__interval expanded as Grafana does,
 * six requests in flight at a time (a browser's connections per host). Per
 * board and range: the wall time of the whole board (median of RUNS after one
 * warm-up), the sum of the query times, the slowest query, and the samples
 * Prometheus read (stats=all).
 *
 *   npm run build && npx tsx bench/boards.ts [days=400] [step=6h] [runs=3]
 *     → bench/results/boards-<days>d-<step>.json, a table on stdout
 *
 * Needs the local PostgreSQL (127.0.0.1:5432, user postgres) or ADMIN_DATABASE_URL,
 * promtool and prometheus on PATH. The backfill's cost is per step (about 3 steps/s
 * today): 400 days at 6 h is 1,601 steps. BOARDS_KEEP_DIR=DIR keeps the backfill in
 * DIR and reuses it when DIR already holds one (to time again without backfilling).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPrometheusOn } from '../src/backfill/prometheus-process.js';
import { parseDuration } from '../src/backfill/time-arguments.js';
import { type BoardRequest, boardRequests } from './lib/board-requests.js';
import { createBenchDatabase } from './lib/database.js';
import { machine } from './lib/machine.js';

const days = Number(process.argv[2] ?? 400);
const step = process.argv[3] ?? '6h';
const runs = Number(process.argv[4] ?? 3);
const stepMs = parseDuration(step);
if (!stepMs) throw new Error(`not a duration: ${step}`);
const ranges = [30, 90, 400].filter((d) => d <= days);
const inFlight = 6;
const dayMs = 86_400_000;
// The demo is laid out relative to the day it is seeded; the history ends at today's midnight UTC.
const to = Math.floor(Date.now() / dayMs) * dayMs;
const from = to - days * dayMs;

const keepDir = process.env.BOARDS_KEEP_DIR;
const out = keepDir ?? mkdtempSync(join(tmpdir(), 'chom-bench-boards-'));
let backfillSeconds: number | undefined;
if (!existsSync(join(out, 'data'))) {
  mkdirSync(out, { recursive: true });
  const db = await createBenchDatabase({ seed: true });
  try {
    const started = performance.now();
    execFileSync(
      process.execPath,
      [
        fileURLToPath(new URL('../dist/cli.js', import.meta.url)),
        'backfill',
        '--from',
        new Date(from).toISOString(),
        '--to',
        new Date(to).toISOString(),
        '--step',
        step,
        '--out',
        out,
      ],
      {
        env: { ...process.env, CHOM_DATABASE_URL: db.url, CHOM_LOG_LEVEL: 'warn' },
        stdio: 'inherit',
      },
    );
    backfillSeconds = (performance.now() - started) / 1000;
  } finally {
    await db.drop();
  }
}

interface Timed {
  readonly request: BoardRequest;
  readonly ms: number;
  readonly samples: number;
  readonly series: number;
}

async function timed(url: string, request: BoardRequest): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(`${url}${request.path}`);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data:
      | { result?: unknown[]; stats?: { samples?: { totalQueryableSamples?: number } } }
      | string[];
  };
  const ms = performance.now() - started;
  if (body.status !== 'success') throw new Error(`${request.path}: ${body.error}`);
  const data = body.data;
  return {
    request,
    ms,
    samples: Array.isArray(data) ? 0 : (data.stats?.samples?.totalQueryableSamples ?? 0),
    series: Array.isArray(data) ? data.length : (data.result?.length ?? 0),
  };
}

/** Every request of a board, `inFlight` at a time: the wall time and each answer. */
async function openBoard(url: string, requests: readonly BoardRequest[]) {
  const answers: Timed[] = [];
  const queue = [...requests];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let next = queue.shift(); next; next = queue.shift())
        answers.push(await timed(url, next));
    }),
  );
  return { wallMs: performance.now() - started, answers };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const prometheus = await startPrometheusOn({
  binary: 'prometheus',
  dataDir: join(out, 'data'),
  configDir: out,
  lookbackMs: stepMs,
});
const results = [];
try {
  for (const rangeDays of ranges) {
    for (const board of boardRequests({
      endMs: to,
      rangeMs: rangeDays * dayMs,
      dataStepMs: stepMs,
    })) {
      await openBoard(prometheus.url, board.requests);
      const measured: Awaited<ReturnType<typeof openBoard>>[] = [];
      for (let run = 0; run < runs; run += 1)
        measured.push(await openBoard(prometheus.url, board.requests));
      const typical = measured.find((m) => m.wallMs === median(measured.map((x) => x.wallMs)));
      if (!typical) throw new Error('no run');
      const slowest = [...typical.answers].sort((a, b) => b.ms - a.ms)[0];
      const row = {
        board: board.uid,
        rangeDays,
        queryStepSeconds: board.queryStepSeconds,
        rateInterval: board.rateInterval,
        requests: board.requests.length,
        rangeQueries: board.requests.filter((r) => r.kind === 'range').length,
        wallMs: Math.round(typical.wallMs),
        wallMsRuns: measured.map((m) => Math.round(m.wallMs)),
        sumMs: Math.round(typical.answers.reduce((sum, a) => sum + a.ms, 0)),
        samples: typical.answers.reduce((sum, a) => sum + a.samples, 0),
        emptyAnswers: typical.answers.filter((a) => a.series === 0).length,
        slowest: slowest && {
          ms: Math.round(slowest.ms),
          samples: slowest.samples,
          kind: slowest.request.kind,
          expr: slowest.request.expr,
        },
      };
      results.push(row);
      console.error(
        `${rangeDays}d ${board.uid}: ${row.wallMs} ms (runs ${row.wallMsRuns.join('/')}), sum ${row.sumMs} ms, ${row.samples} samples, slowest ${row.slowest?.ms} ms`,
      );
    }
  }
} finally {
  await prometheus.stop();
  if (!keepDir) rmSync(out, { recursive: true, force: true });
}

const file = fileURLToPath(new URL(`results/boards-${days}d-${step}.json`, import.meta.url));
writeFileSync(
  file,
  `${JSON.stringify(
    {
      machine: await machine(),
      days,
      dataStep: step,
      backfillSeconds:
        backfillSeconds === undefined ? undefined : Number(backfillSeconds.toFixed(1)),
      requestsInFlight: inFlight,
      runs,
      results,
    },
    null,
    2,
  )}\n`,
);
console.log(
  '| Board | Range | Query step | Requests (range) | Board opens in | Sum of queries | Samples read | Slowest query |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of results)
  console.log(
    `| ${r.board} | ${r.rangeDays} d | ${r.queryStepSeconds} s | ${r.requests} (${r.rangeQueries}) | ${r.wallMs} ms | ${r.sumMs} ms | ${r.samples.toLocaleString('en-US')} | ${r.slowest?.ms} ms |`,
  );
console.error(`wrote ${file}`);
