import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { closeSources } from '../../src/app/create-sources.js';
import { buildSources } from '../../src/app/service.js';
import {
  type PrometheusProcess,
  startPrometheusOn,
} from '../../src/backfill/prometheus-process.js';
import { backfillCollectors, runBackfill } from '../../src/backfill/run-backfill.js';
import { seedDemoData } from '../../src/demo/seed.js';
import { alertRules } from '../../src/kpi/alert-rules.js';
import { allQueries, expand } from '../dashboards/model.js';
import { sourceMetricsReader } from '../dashboards/source-metrics.js';
import { pendingSourceMetrics } from '../helpers/pending-source-metrics.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * The demo's history backfilled over 405 days at a one-day step (coarse, to
 * keep CI fast), turned into blocks and recording-rule history by the real
 * promtool and prometheus, then a real Prometheus started on those blocks
 * alone (it scrapes nothing) answers every dashboard panel query at instants
 * spread over the last 365 days.
 */
const dayMs = 86_400_000;
// The demo data is laid out relative to the day it is seeded; the range follows it.
const to = Math.floor(Date.now() / dayMs) * dayMs;
// 405 days: the earliest instant checked is 365 days back, and the MRR board shows there the
// 30-day forecast made 30 days before, from the 7 days before that (402 days back).
const from = to - 405 * dayMs;
const instants = [0, 73, 146, 219, 292, 365].map((days) => (to - days * dayMs) / 1000);
// Rates need two samples in their window: with one sample a day, three days.
const builtins = { rateInterval: '3d', range: '30d' };
const config = parseConfig({});
const { kpi } = config;

const { rulesByName, sourceMetrics } = sourceMetricsReader(kpi);

const backfilled = new Set(
  backfillCollectors(config).run.flatMap(({ collector }) => collector.metrics.map((m) => m.name)),
);

/** Why a panel query has no data in a backfilled Prometheus, if it has none. */
function emptyBecause(expr: string): string | undefined {
  const read = [...sourceMetrics(expr)].filter((m) => !rulesByName.has(m));
  const pending = read.filter((m) => pendingSourceMetrics.includes(m));
  if (pending.length > 0) return `reads ${pending.join(', ')}, which no collector exports yet`;
  const live = read.filter((m) => !backfilled.has(m));
  // The exporter's own health (up, runs, durations, build info) is about a running process.
  if (live.length > 0 && live.length === read.length)
    return `reads only ${live.join(', ')}: the exporter's own metrics, never backfilled`;
  return undefined;
}

/**
 * Where the demo's own history has nothing to show, so a panel is absent (never wrong) at some of
 * the past instants checked (days before today). Each listed instant must be empty, so the list
 * shrinks when the demo's history gets richer; every panel must answer today.
 */
const demoHistoryGaps: readonly { expr: RegExp; daysAgo: readonly number[]; reason: string }[] = [];

function allowedEmpty(expr: string): number[] {
  return demoHistoryGaps
    .filter((gap) => gap.expr.test(expr))
    .flatMap((gap) => gap.daysAgo.map((days) => (to - days * dayMs) / 1000));
}

describe('dashboard queries against a Prometheus started on a backfill of the demo', () => {
  let db: TestDatabase;
  let prometheus: PrometheusProcess;
  const dir = mkdtempSync(join(tmpdir(), 'chom-backfill-prom-'));
  const results = new Map<string, { at: number; count: number }[]>();
  const queries = allQueries().map((q) => {
    const expanded = expand(q.expr, q.dashboard, builtins);
    return { ...q, expanded, emptyBecause: emptyBecause(expanded) };
  });
  const key = (q: { board: string; panelId: number; refId: string }) =>
    `${q.board}/${q.panelId}/${q.refId}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.url);
    const sources = buildSources(config, { url: db.url }, pino({ level: 'silent' }));
    try {
      const outcome = await runBackfill(
        config,
        sources,
        {
          from,
          to,
          stepMs: dayMs,
          out: dir,
          concurrency: 2,
          job: 'chom-exporter',
          promtool: 'promtool',
          prometheus: 'prometheus',
        },
        {
          log: pino({ level: 'silent' }),
          stderr: process.stderr,
          interrupt: new AbortController().signal,
          progressIntervalMs: 60_000,
        },
      );
      expect(outcome).toMatchObject({ blocks: 'created', rules: 'created', stepsTotal: 406 });
    } finally {
      await closeSources(sources);
    }
    prometheus = await startPrometheusOn({
      binary: 'prometheus',
      dataDir: join(dir, 'data'),
      configDir: dir,
      lookbackMs: dayMs,
    });
    for (const q of queries) {
      const answers: { at: number; count: number }[] = [];
      for (const at of instants) {
        const response = await fetch(
          `${prometheus.url}/api/v1/query?query=${encodeURIComponent(q.expanded)}&time=${at}`,
        );
        const body = (await response.json()) as {
          status: string;
          error?: string;
          data: { result: { value: [number, string] }[] };
        };
        if (body.status !== 'success') throw new Error(`${q.expanded}: ${body.error}`);
        answers.push({
          at,
          count: body.data.result.filter(({ value }) => !Number.isNaN(Number(value[1]))).length,
        });
      }
      results.set(key(q), answers);
    }
  }, 900_000);

  afterAll(async () => {
    await prometheus?.stop();
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('backfilled the job label a scrape gives, and the recording rules', async () => {
    const response = await fetch(
      `${prometheus.url}/api/v1/query?query=${encodeURIComponent('count by (job) (chom_revenue_mrr)')}&time=${instants[0]}`,
    );
    const body = (await response.json()) as { data: { result: { metric: { job?: string } }[] } };
    expect(body.data.result.map((r) => r.metric.job)).toEqual(['chom-exporter']);
    // A rule that compares with 30 days before, at the earliest instant checked (the demo has
    // paying customers 30 days before it).
    const growth = await fetch(
      `${prometheus.url}/api/v1/query?query=${encodeURIComponent('currency:chom_revenue_mrr_growth:ratio30d')}&time=${instants.at(-1)}`,
    );
    const answer = (await growth.json()) as { data: { result: unknown[] } };
    expect(answer.data.result.length).toBeGreaterThan(0);
  });

  it.each(queries.map((q) => [q.board, q.panel, q.refId, q] as const))(
    '%s / %s / %s answers over the last 365 days',
    (_, __, ___, q) => {
      const answers = results.get(key(q)) ?? [];
      if (q.emptyBecause) {
        expect(
          answers.filter((a) => a.count > 0),
          `expected empty (${q.emptyBecause}): update the list`,
        ).toEqual([]);
        return;
      }
      const gaps = allowedEmpty(q.expanded);
      const iso = (a: { at: number }) => new Date(a.at * 1000).toISOString();
      expect(
        answers.filter((a) => a.count === 0 && !gaps.includes(a.at)).map(iso),
        q.expanded,
      ).toEqual([]);
      expect(
        answers.filter((a) => a.count > 0 && gaps.includes(a.at)).map(iso),
        `${q.expanded} answers where demoHistoryGaps says the demo has nothing: shrink the list`,
      ).toEqual([]);
    },
  );

  // A demo that pages as soon as it starts is a bad first impression: its data is healthy where
  // the seeds' thresholds are about daily use, support and acquisition cost (the alert-rule tests
  // have their own fixtures for when these fire).
  it.each([
    'ChomDailyActiveUsersLow',
    'ChomSupportFirstResponseSlow',
    'ChomSupportResolutionSlaBreached',
    'ChomCacHigh',
    'ChomLtvToCacLow',
    'ChomMarketingEfficiencyLow',
  ])('the demo starts healthy: %s is quiet today, on data that is there', async (name) => {
    const rules = alertRules(kpi).filter((rule) => rule.alert === name);
    expect(rules.length).toBeGreaterThan(0);
    const query = async (expr: string) => {
      const response = await fetch(
        `${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}&time=${instants[0]}`,
      );
      const body = (await response.json()) as { data: { result: unknown[] } };
      return body.data.result;
    };
    for (const rule of rules) {
      for (const metric of sourceMetrics(rule.expr)) {
        expect((await query(metric)).length, metric).toBeGreaterThan(0);
      }
      expect(await query(rule.expr), `${rule.expr} (${rule.severity})`).toEqual([]);
    }
  });
});
