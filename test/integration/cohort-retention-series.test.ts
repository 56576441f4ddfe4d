import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextAt } from '../../src/backfill/evaluate.js';
import { type StepGrid, seriesHookOf } from '../../src/backfill/series-hook.js';
import { seedDemoData } from '../../src/demo/seed.js';
import type { Sample } from '../../src/metrics/spec.js';
import { asOfForm, collectorUnderTest, groupedPass } from '../helpers/collector-under-test.js';
import { type EdgeUser, insertEdgeUsers } from '../helpers/edge-users.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

const monthsBefore = (ms: number, months: number) => {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - months, 1);
};
const cohortLabel = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/** An instant `micros` microseconds from `ms`, as a timestamptz literal (pg keeps microseconds). */
function instant(ms: number, micros = 0): string {
  const total = ms * 1000 + micros;
  const whole = Math.floor(total / 1000);
  const rest = String(total - whole * 1000).padStart(3, '0');
  return new Date(whole).toISOString().replace('Z', `${rest}Z`);
}

/**
 * Users around a month boundary `b` (ms), each with its sessions, placed on
 * the edges of the query's comparisons: signups, deletions and sessions at
 * the boundary, on step instants of the hourly grid and a microsecond either
 * side, sessions before the signup in its month and in the month before it.
 */
function edgeUsers(b: number): EdgeUser[] {
  return [
    // On the boundary, active on it and a microsecond after a step, deleted on a step.
    {
      created: instant(b),
      deleted: instant(b + 3 * hourMs),
      sessions: [instant(b), instant(b + 2 * hourMs, 1)],
    },
    // The previous month's cohort by a microsecond; a session before the signup, one on the boundary.
    { created: instant(b, -1), deleted: null, sessions: [instant(b, -2), instant(b)] },
    // Signs up after sessions of its month (they count from the signup) and of the month before.
    {
      created: instant(b + 5 * hourMs, 500),
      deleted: instant(b + 29 * dayMs),
      sessions: [instant(b + hourMs), instant(b - hourMs), instant(b + 40 * dayMs)],
    },
    // Deleted as it signs up (on a step): never counted.
    {
      created: instant(b - 5 * hourMs),
      deleted: instant(b - 5 * hourMs),
      sessions: [instant(b - 5 * hourMs)],
    },
    // Alive at exactly one instant (a step of the hourly grid), active then.
    {
      created: instant(b + 2 * hourMs),
      deleted: instant(b + 2 * hourMs, 1),
      sessions: [instant(b + 2 * hourMs)],
    },
    // Deleted a microsecond after a step, sessions on later months' boundaries.
    {
      created: instant(b + dayMs),
      deleted: instant(b + 40 * dayMs, 1),
      sessions: [instant(monthsBefore(b, -1)), instant(monthsBefore(b, -1), -1)],
    },
    // Alive throughout, a session every month for a year.
    {
      created: instant(b + 10 * dayMs),
      deleted: null,
      sessions: Array.from({ length: 12 }, (_, k) => instant(monthsBefore(b, -k) + 12 * dayMs)),
    },
  ];
}

/**
 * The backfill's grouped pass for the cohort retention (each month of
 * sessions read once for the range) must give, at every step of a grid,
 * exactly the samples the collector's own query gives as of that step: the
 * same cohorts and offsets, the same sizes and ratios. On the demo data plus
 * users placed on month boundaries and step instants (`edgeUsers`).
 */
describe('cohort retention over a step grid (grouped pass)', () => {
  let db: TestDatabase;
  const collector = collectorUnderTest('postgres_cohort_retention', () => db.url);
  const { setUp } = collector;
  const now = Date.now();
  // The month before this one: the demo has activity on both sides of its start.
  const lastMonth = monthsBefore(now, 1);
  const thisMonth = monthsBefore(now, 0);

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.url);
    const boundaries = [0, 1, 2, 5, 13].map((months) => monthsBefore(lastMonth, months));
    const users = boundaries.flatMap(edgeUsers);
    await insertEdgeUsers(db, users, 'cohorts.test');
  });

  afterAll(async () => {
    await collector.close();
    await db.drop();
  });

  const keyed = (samples: readonly Sample[]) =>
    Object.fromEntries(
      samples
        .map((s) => [`${s.metric}${JSON.stringify(Object.entries(s.labels).sort())}`, s.value])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );

  /** Asks the grouped pass for every step in order and compares each with the collector there. */
  async function compare(options: Record<string, unknown>, grid: StepGrid): Promise<Sample[][]> {
    const { enabled, deps } = setUp(options);
    const series = await groupedPass(enabled, deps, grid);
    const all: Sample[][] = [];
    for (let i = 0; i < grid.count; i += 1) {
      const got = await series(i);
      const at = grid.firstMs + i * grid.stepMs;
      const expected = await asOfForm(enabled, at, deps);
      // Both divide the same integers: the ratios are equal, not just close.
      expect(keyed(got), `step ${i} at ${new Date(at).toISOString()}`).toEqual(keyed(expected));
      all.push([...got]);
    }
    return all;
  }

  const size = (samples: readonly Sample[], cohort: string) =>
    samples.find((s) => s.metric === 'chom_cohort_size' && s.labels.cohort === cohort)?.value;

  it('equals the collector at every hour across a month boundary (the cohorts roll over)', async () => {
    const steps = await compare(
      {},
      { firstMs: lastMonth - 30 * hourMs, stepMs: hourMs, count: 60 },
    );
    // Step 30 is the boundary: its month's cohort enters, the oldest (13 months back) leaves.
    const entering = cohortLabel(lastMonth);
    const leaving = cohortLabel(monthsBefore(lastMonth, 13));
    expect(size(steps[29] as Sample[], entering)).toBeUndefined();
    expect(size(steps[30] as Sample[], entering)).toBeGreaterThanOrEqual(1);
    expect(size(steps[29] as Sample[], leaving)).toBeGreaterThanOrEqual(1);
    expect(size(steps[30] as Sample[], leaving)).toBeUndefined();
    // Not vacuous: the values move from step to step.
    expect(new Set(steps.map((s) => JSON.stringify(keyed(s)))).size).toBeGreaterThan(10);
  });

  it('equals the collector every day for 400 days, from before the first signup', async () => {
    const steps = await compare(
      {},
      { firstMs: thisMonth - 460 * dayMs, stepMs: dayMs, count: 401 },
    );
    expect(steps[0]).toEqual([]);
    expect((steps[400] as Sample[]).length).toBeGreaterThan(50);
  });

  it('equals the collector with a 3-month window, every 6 hours over two months', async () => {
    await compare(
      { months: 3 },
      { firstMs: lastMonth - 35 * dayMs, stepMs: 6 * hourMs, count: 240 },
    );
  });

  it('equals the collector on a grid whose instants miss the month boundaries (1-month window)', async () => {
    await compare(
      { months: 1 },
      {
        firstMs: lastMonth - 70 * dayMs + 17 * 60_000,
        stepMs: 7 * hourMs + 13 * 60_000,
        count: 250,
      },
    );
  });

  it('declines when the retention query is overridden (the backfill then runs it per step)', async () => {
    const { enabled, deps } = setUp({
      queries: {
        retention:
          "SELECT '2024-01' AS cohort, '0' AS month_offset, 1 AS size, 1 AS retained WHERE $at::timestamptz IS NOT NULL",
      },
    });
    const hook = seriesHookOf(enabled.collector);
    const series = await (hook as NonNullable<typeof hook>)(
      contextAt(enabled, lastMonth, deps).ctx,
      { firstMs: lastMonth - dayMs, stepMs: hourMs, count: 25 },
    );
    expect(series).toBeUndefined();
  });
});
