import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextAt } from '../../src/backfill/evaluate.js';
import { stepsPerStatement } from '../../src/backfill/event-counter-series.js';
import { type StepGrid, seriesHookOf } from '../../src/backfill/series-hook.js';
import { isBackfillable } from '../../src/collectors/as-of.js';
import { activeUsersQueries } from '../../src/collectors/postgres-active-users.js';
import { seedDemoData } from '../../src/demo/seed.js';
import type { Sample } from '../../src/metrics/spec.js';
import { collectorUnderTest, expectAsOfAtEveryStep } from '../helpers/collector-under-test.js';
import { type EdgeUser, insertEdgeUsers } from '../helpers/edge-users.js';
import { dayMs, hourMs, monthStart, today } from '../helpers/step-instants.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const windowsMs = [1, 7, 30].map((days) => days * dayMs);

const longCount = 3 * stepsPerStatement + 10;

/** The grids compared and the steps whose instants get edge users and sessions. */
const cases = {
  // Hourly across a month boundary: 1, 7 and 30 days are whole numbers of steps.
  hourly: {
    grid: { firstMs: monthStart - 30 * hourMs, stepMs: hourMs, count: 60 },
    edgeSteps: [0, 1, 28, 30, 59],
  },
  // Daily over more than a year, from before the first session (the demo spans 450 days).
  daily: {
    grid: { firstMs: today - 460 * dayMs, stepMs: dayMs, count: 461 },
    edgeSteps: [40, 200, 460],
  },
  // 7 h steps: no window is a whole number of steps, so t - W falls between instants.
  sevenHours: {
    grid: { firstMs: monthStart - 12 * dayMs - 3 * hourMs, stepMs: 7 * hourMs, count: 70 },
    edgeSteps: [0, 33, 69],
  },
  // Hourly over more than three statements' slices: the edges on both sides of each.
  long: {
    grid: { firstMs: today - (longCount - 20) * hourMs, stepMs: hourMs, count: longCount },
    edgeSteps: [1, 2, 3].flatMap((k) => [k * stepsPerStatement - 1, k * stepsPerStatement]),
  },
} satisfies Record<string, { grid: StepGrid; edgeSteps: number[] }>;

/** An instant `micros` microseconds from `ms`, as a timestamptz literal (pg keeps microseconds). */
function instant(ms: number, micros = 0): string {
  const total = ms * 1000 + micros;
  const whole = Math.floor(total / 1000);
  const rest = String(total - whole * 1000).padStart(3, '0');
  return new Date(whole).toISOString().replace('Z', `${rest}Z`);
}

/**
 * Users on the edges of the two queries' comparisons at the instant `t`:
 * created or deleted on it and a microsecond either side, deleted before they
 * were created; sessions on it, exactly a window before it (both ends of
 * [t - W, t] count), a microsecond outside both ends (a gap of two
 * microseconds between two islands, with `t` in it), a window apart so that
 * their closed intervals touch at t - W (one island, counted once there), and
 * twice with the same start.
 */
function edgeUsers(t: number): EdgeUser[] {
  const old = instant(t - 500 * dayMs);
  return [
    { created: instant(t), deleted: null, sessions: [instant(t)] },
    { created: instant(t - hourMs), deleted: instant(t), sessions: [] },
    { created: instant(t), deleted: instant(t), sessions: [] },
    { created: instant(t, -1), deleted: instant(t, 1), sessions: [instant(t, 1)] },
    { created: instant(t, 1), deleted: null, sessions: [instant(t, -1)] },
    // Deleted before it was created: never registered, whichever side of t.
    { created: instant(t), deleted: instant(t - hourMs), sessions: [] },
    { created: instant(t - 2 * hourMs), deleted: instant(t - 3 * hourMs), sessions: [] },
    { created: instant(t + hourMs), deleted: instant(t, -1), sessions: [] },
    ...windowsMs.flatMap((w) => [
      { created: old, deleted: null, sessions: [instant(t - w)] },
      { created: old, deleted: null, sessions: [instant(t - w, -1), instant(t, 1)] },
      {
        created: old,
        deleted: instant(t - w),
        sessions: [instant(t - 2 * w), instant(t - w), instant(t - w)],
      },
    ]),
  ];
}

/**
 * Users active all along the long grid: a session every 5 days, and one every
 * 7 days exactly on its instants (weekly intervals touching at each session),
 * so that their islands cross every statement's slice.
 */
function chainUsers({ firstMs, stepMs, count }: StepGrid): EdgeUser[] {
  const from = firstMs - 40 * dayMs;
  const last = firstMs + (count - 1) * stepMs;
  const every = (gap: number) =>
    Array.from({ length: Math.floor((last - from) / gap) + 1 }, (_, k) => instant(from + k * gap));
  return [
    { created: instant(from), deleted: null, sessions: every(5 * dayMs) },
    { created: instant(from), deleted: null, sessions: every(7 * dayMs) },
  ];
}

/**
 * The backfill's grouped pass for postgres_active_users (sessions and users
 * read once for the range) must give, at every step of a grid, exactly the
 * samples the collector gives when evaluated at that step alone: daily, weekly
 * and monthly active users, then registered users. On the demo data plus users
 * and sessions on step instants and window edges (`edgeUsers`).
 */
describe('active users over a step grid (grouped pass)', () => {
  let db: TestDatabase;
  const collector = collectorUnderTest('postgres_active_users', () => db.url);
  const { setUp } = collector;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.url);
    const users = [
      ...Object.values(cases).flatMap(({ grid, edgeSteps }) =>
        edgeSteps.flatMap((step) => edgeUsers(grid.firstMs + step * grid.stepMs)),
      ),
      ...chainUsers(cases.long.grid),
    ];
    await insertEdgeUsers(db, users, 'active.test');
  });

  afterAll(async () => {
    await collector.close();
    await db.drop();
  });

  /** Samples in the order the collector gives them, as comparable strings. */
  const listed = (samples: readonly Sample[]) =>
    samples.map((s) => `${s.metric}${JSON.stringify(s.labels)} ${s.value}`);

  /** Asks the grouped pass for every step in order and compares each with the collector there. */
  async function compare(grid: StepGrid): Promise<Sample[][]> {
    const { enabled, deps } = setUp({});
    return [...(await expectAsOfAtEveryStep(enabled, deps, grid, listed)).values()];
  }

  const value = (samples: readonly Sample[] | undefined, metric: string) =>
    samples?.find((s) => s.metric === metric)?.value ?? Number.NaN;
  const distinct = (steps: readonly Sample[][], metric: string) =>
    new Set(steps.map((s) => value(s, metric))).size;

  it('equals the collector at every hour across a month boundary (windows a whole number of steps)', async () => {
    const steps = await compare(cases.hourly.grid);
    // Not vacuous: every value moves along the grid.
    for (const metric of ['daily', 'weekly', 'monthly'])
      expect(distinct(steps, `chom_users_active_${metric}`), metric).toBeGreaterThan(3);
    expect(distinct(steps, 'chom_users')).toBeGreaterThan(3);
  });

  it('equals the collector at every day over more than a year, from before the first session', async () => {
    const steps = await compare(cases.daily.grid);
    // Before the demo's first session (only an edge user's, 20 days earlier, is in the month).
    expect(value(steps[0], 'chom_users_active_weekly')).toBe(0);
    expect(value(steps[0], 'chom_users_active_monthly')).toBe(1);
    expect(value(steps[460], 'chom_users_active_monthly')).toBeGreaterThan(100);
  });

  it('equals the collector on 7 h steps (no window is a whole number of steps)', async () => {
    await compare(cases.sevenHours.grid);
  });

  it('equals the collector at every hour of a grid read in several statements', async () => {
    const steps = await compare(cases.long.grid);
    expect(distinct(steps, 'chom_users_active_weekly')).toBeGreaterThan(10);
  });

  it('declines when a query it replaces is overridden, so that the backfill runs the override at every step', async () => {
    const grid = cases.hourly.grid;
    const last = grid.firstMs + (grid.count - 1) * grid.stepMs;
    // Each override keeps the default's contract and uses $at, so it stays backfillable.
    const overrides: Record<keyof typeof activeUsersQueries, string> = {
      active_users: `${activeUsersQueries.active_users.sql} AND user_id > 0`,
      users: `${activeUsersQueries.users.sql} AND id > 0`,
    };
    for (const [name, sql] of Object.entries(overrides)) {
      const { enabled, deps } = setUp({ queries: { [name]: sql } });
      expect(isBackfillable(enabled.collector, enabled.options), name).toBe(true);
      const hook = seriesHookOf(enabled.collector);
      expect(hook).toBeDefined();
      const series = await (hook as NonNullable<typeof hook>)(
        contextAt(enabled, last, deps).ctx,
        grid,
      );
      expect(series, `an override of "${name}" declines the grouped pass`).toBeUndefined();
    }
  });
});
