import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepGrid } from '../../src/backfill/series-hook.js';
import { seedDemoData } from '../../src/demo/seed.js';
import type { Sample } from '../../src/metrics/spec.js';
import { asOfForm, collectorUnderTest, groupedPass } from '../helpers/collector-under-test.js';
import { dayMs, hourMs } from '../helpers/step-instants.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * The backfill's grouped pass for the support tickets must give, at every
 * step of a grid, exactly the samples the collector's as-of form gives when
 * evaluated at that step alone (means up to float rounding): tickets by
 * status, the created counter and windows, the mean resolution and
 * first-response times. On the demo data, plus tickets whose creation, first
 * response and resolution fall exactly on the grids' instants and on their
 * window edges (the `<=`, `>` and `>=` of the as-of SQL), with NULL
 * timestamps, status and priority values outside the bounded sets (several
 * raw priorities with timings bounded to one label, whose means both sides
 * merge), and the odd histories by_status undoes (a response before
 * creation, a stale resolved_at on a reopened ticket).
 */
describe('support tickets over a step grid (grouped pass)', () => {
  let db: TestDatabase;
  const collector = collectorUnderTest('postgres_support_tickets', () => db.url);
  const { setUp } = collector;
  // Today's month start: the demo's tickets run up to the seeding instant.
  const now = new Date();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);

  const hourly: StepGrid = { firstMs: monthStart - 30 * hourMs, stepMs: hourMs, count: 60 };
  const daily: StepGrid = { firstMs: monthStart - 80 * dayMs, stepMs: dayMs, count: 90 };
  // 7 h steps: of the windows 3 d, 7 d and 30 d only 7 d is a whole number of steps.
  const sevenHourly: StepGrid = {
    firstMs: monthStart - 12 * dayMs - 3 * hourMs,
    stepMs: 7 * hourMs,
    count: 70,
  };
  const instant = (grid: StepGrid, index: number) => grid.firstMs + index * grid.stepMs;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.url);
    // Values the application may write one day (or a hand-made row): the exporter bounds them.
    await db.sql(`ALTER TABLE support_tickets
      DROP CONSTRAINT support_tickets_status_check,
      DROP CONSTRAINT support_tickets_priority_check,
      ALTER COLUMN priority DROP NOT NULL`);
    // Instants on the grids, and one window (3, 7 or 30 days) before them.
    const anchors = [
      instant(hourly, 28),
      instant(hourly, 35),
      instant(daily, 70),
      instant(sevenHourly, 20),
      instant(sevenHourly, 41),
    ];
    const edges = anchors.flatMap((at) => [0, 3, 7, 30].map((days) => at - days * dayMs));
    // [status, priority, created, first response, resolved], as hours after the edge.
    const variants: [string, string | null, number, number | null, number | null][] = [
      ['open', 'high', 0, null, null],
      ['in_progress', 'medium', -1, 0, null],
      ['resolved', 'low', -48, -24, 0],
      ['resolved', 'critical', -3, 0, 0], // answered and resolved at once
      ['resolved', 'Urgent', 0, 0, 1], // → priority other, with timings
      ['resolved', 'high', -5, null, 0], // resolved without a response
      ['in_progress', 'medium', -24, 2, 0], // reopened: resolved_at stale, answered after
      ['In Progress', 'low', 0, -1, null], // answered before created; not the literal 'in_progress'
      ['waiting', null, -1, null, null], // → status other, priority other (no timings)
      ['closed', 'HIGH', -2, null, null], // → status other, priority high (no timings)
      // Timings of raw priorities bounded to one label: one series, the mean over their tickets.
      ['resolved', 'HIGH', -30, -20, 0], // with high's above
      ['resolved', ' Critical', -9, 0, 3], // with critical's above
      ['resolved', 'Blocker', -7, -6, 0], // → other, with Urgent
      ['resolved', null, -50, -1, 0], // → other too
    ];
    const rows = edges.flatMap((edge) =>
      variants.map(([status, priority, created, responded, resolved]) => {
        const at = (hours: number | null) =>
          hours === null ? null : new Date(edge + hours * hourMs).toISOString();
        return [status, priority, at(created), at(responded), at(resolved)];
      }),
    );
    await db.sql(
      `INSERT INTO support_tickets (organization_id, subject, status, priority, created_at, first_response_at, resolved_at)
       SELECT (SELECT min(id) FROM organizations), 'edge', r->>0, r->>1,
         (r->>2)::timestamptz, (r->>3)::timestamptz, (r->>4)::timestamptz
       FROM jsonb_array_elements($1::jsonb) AS r`,
      [JSON.stringify(rows)],
    );
  });

  afterAll(async () => {
    await collector.close();
    await db.drop();
  });

  async function grouped(options: Record<string, unknown>, grid: StepGrid) {
    const { enabled, deps } = setUp(options);
    return { enabled, deps, series: await groupedPass(enabled, deps, grid) };
  }

  const keyOf = (s: Sample) => `${s.metric}${JSON.stringify(Object.entries(s.labels).sort())}`;

  /** Asks the grouped pass for every step in order and compares each with the as-of form. */
  async function compare(options: Record<string, unknown>, grid: StepGrid): Promise<Sample[][]> {
    const { enabled, deps, series } = await grouped(options, grid);
    const all: Sample[][] = [];
    for (let i = 0; i < grid.count; i += 1) {
      const got = await series(i);
      const at = instant(grid, i);
      const expected = await asOfForm(enabled, at, deps);
      const step = `step ${i} at ${new Date(at).toISOString()}`;
      // Every series once (no duplicate label set hides another), the same series on both sides.
      expect(new Set(got.map(keyOf)).size, step).toBe(got.length);
      expect(got.map(keyOf).sort(), step).toEqual(expected.map(keyOf).sort());
      const expectedValues = new Map(expected.map((s) => [keyOf(s), s.value]));
      for (const sample of got) {
        const want = expectedValues.get(keyOf(sample)) as number;
        // The means are sums over counts, divided on either side: equal up to float rounding.
        const tolerance = sample.metric.endsWith('_time_seconds') ? 1e-12 * Math.abs(want) : 0;
        expect(Math.abs(sample.value - want), `${step} ${keyOf(sample)}`).toBeLessThanOrEqual(
          tolerance,
        );
      }
      all.push([...got]);
    }
    return all;
  }

  const value = (samples: readonly Sample[], metric: string, labels: Record<string, string>) =>
    samples.find(
      (s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    )?.value;

  it('equals the as-of form at every hour across a month boundary', async () => {
    const steps = await compare({}, hourly);
    // Not vacuous: the values move, and the bounded `other` series appear where the SQL has them.
    const open = steps.map((s) =>
      value(s, 'chom_support_tickets', { status: 'open', priority: 'high' }),
    );
    expect(new Set(open).size).toBeGreaterThan(1);
    const at28 = steps[28] as Sample[];
    expect(
      value(at28, 'chom_support_tickets', { status: 'other', priority: 'other' }),
    ).toBeGreaterThan(0);
    expect(
      value(at28, 'chom_support_resolution_time_seconds', { priority: 'other' }),
    ).toBeDefined();
    // Several raw priorities each with tickets resolved in the window: `compare` found one series each.
    const raw = await db.sql(
      `SELECT count(DISTINCT coalesce(priority, '<null>')) AS n FROM support_tickets
       WHERE resolved_at > $1::timestamptz - interval '30 days' AND resolved_at <= $1::timestamptz
         AND coalesce(lower(trim(priority)), 'x') NOT IN ('critical', 'high', 'medium', 'low')`,
      [new Date(instant(hourly, 28)).toISOString()],
    );
    expect(Number(raw.rows[0]?.n)).toBeGreaterThan(1);
    expect(
      value(at28, 'chom_support_tickets_created_in_window', { priority: 'other', window: '7d' }),
    ).toBeGreaterThan(0);
  });

  it('equals the as-of form on a daily grid over 90 days', async () => {
    await compare({}, daily);
  });

  it('equals the as-of form on a grid whose step divides only some windows (7 h; 3, 7 and 30 days)', async () => {
    await compare({ windowDays: 3, createdWindowsDays: [7, 30] }, sevenHourly);
  });

  it('equals the as-of form on a grid starting before the first ticket', async () => {
    await compare(
      { windowDays: 10, createdWindowsDays: [1, 30] },
      { firstMs: monthStart - 470 * dayMs, stepMs: 5 * dayMs, count: 100 },
    );
  });

  it('declines when a query it stands for is overridden, not when only created_recent is', async () => {
    const byStatus = `SELECT status, priority, count(*) AS tickets FROM support_tickets
WHERE created_at <= $at GROUP BY 1, 2`;
    await expect(grouped({ queries: { by_status: byStatus } }, hourly)).rejects.toThrow(
      'postgres_support_tickets declined its grouped pass',
    );
    // created_recent feeds only the live counter's later rounds, never the as-of form.
    const recent = `SELECT id::text AS ticket, priority FROM support_tickets
WHERE created_at > $1::timestamptz AND created_at <= $2::timestamptz`;
    await compare({ queries: { created_recent: recent } }, { ...hourly, count: 5 });
  });
});
