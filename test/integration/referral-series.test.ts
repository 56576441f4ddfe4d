import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextAt } from '../../src/backfill/evaluate.js';
import { stepsPerStatement } from '../../src/backfill/event-counter-series.js';
import { type StepGrid, seriesHookOf } from '../../src/backfill/series-hook.js';
import { isBackfillable } from '../../src/collectors/as-of.js';
import { referralQueries } from '../../src/collectors/postgres-referrals.js';
import { seedDemoData } from '../../src/demo/seed.js';
import type { Sample } from '../../src/metrics/spec.js';
import { collectorUnderTest, expectAsOfAtEveryStep } from '../helpers/collector-under-test.js';
import { dayMs, hourMs, monthStart, today } from '../helpers/step-instants.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const longCount = 3 * stepsPerStatement + 10;

/** The grids compared, their windows, and the steps where edge referrals are placed. */
const cases = {
  // Hourly across a month boundary: 7 and 30 days are whole numbers of steps (a lag).
  hourly: {
    windowsDays: [7, 30],
    grid: { firstMs: monthStart - 30 * hourMs, stepMs: hourMs, count: 60 },
    edgeSteps: [0, 1, 28, 30, 59],
  },
  // Daily over more than a year, starting before the first referral (the demo spans 450 days).
  daily: {
    windowsDays: [7, 30],
    grid: { firstMs: today - 460 * dayMs, stepMs: dayMs, count: 461 },
    edgeSteps: [40, 200, 460],
  },
  // 7 h steps: neither 2 nor 10 days is a whole number of steps (each from a shifted grid).
  shifted: {
    windowsDays: [2, 10],
    grid: { firstMs: monthStart - 12 * dayMs - 3 * hourMs, stepMs: 7 * hourMs, count: 70 },
    edgeSteps: [0, 33, 69],
  },
  // 36 h steps: 3 and 30 days are whole numbers of steps, 7 days is not (lags and a shift).
  mixed: {
    windowsDays: [3, 7, 30],
    grid: { firstMs: today - 200 * dayMs, stepMs: 36 * hourMs, count: 134 },
    edgeSteps: [0, 20, 133],
  },
  // Hourly over more than three statements' slices: the edges on both sides of each.
  long: {
    windowsDays: [7, 30],
    grid: { firstMs: today - (longCount - 20) * hourMs, stepMs: hourMs, count: longCount },
    edgeSteps: [1, 2, 3].flatMap((k) => [k * stepsPerStatement - 1, k * stepsPerStatement]),
  },
} satisfies Record<string, { windowsDays: number[]; grid: StepGrid; edgeSteps: number[] }>;

/**
 * The backfill's grouped pass for postgres_referrals (a few statements per
 * range) must give, at every step of a grid, exactly the samples the
 * collector's as-of form gives when evaluated at that step alone: the sent and
 * completed totals and the `_in_window` gauges. On the demo data, plus
 * referrals placed exactly on step instants and one window before them (the
 * `<=` and `>` edges of the as-of SQL), a microsecond on either side, with and
 * without completed_at and referred_user_id.
 */
describe('referrals over a step grid (grouped pass)', () => {
  let db: TestDatabase;
  const collector = collectorUnderTest('postgres_referrals', () => db.url);
  const { setUp } = collector;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.url);
    const edges = Object.values(cases).flatMap(({ windowsDays, grid, edgeSteps }) =>
      edgeSteps.flatMap((step) => {
        const at = grid.firstMs + step * grid.stepMs;
        return [at, ...windowsDays.map((days) => at - days * dayMs)];
      }),
    );
    // At each edge x: sent at x never completed; sent an hour before and completed at x by
    // someone who signed up under another address (no referred user); sent a microsecond
    // before x and completed a microsecond after it by a user.
    await db.sql(
      `INSERT INTO referrals (referrer_user_id, referred_email, referred_user_id, sent_at, completed_at)
       SELECT (SELECT min(id) FROM users), 'edge@example.test', v.referred, x + v.sent, x + v.completed
       FROM unnest($1::timestamptz[]) AS x,
         (VALUES (NULL::bigint, interval '0', NULL::interval),
                 (NULL, interval '-1 hour', interval '0'),
                 ((SELECT max(id) FROM users), interval '-1 microsecond', interval '1 microsecond'))
           AS v(referred, sent, completed)`,
      [edges.map((ms) => new Date(ms).toISOString())],
    );
  });

  afterAll(async () => {
    await collector.close();
    await db.drop();
  });

  /** Samples in the order the as-of form gives them, as comparable strings. */
  const listed = (samples: readonly Sample[]) =>
    samples.map((s) => `${s.metric}${JSON.stringify(s.labels)} ${s.value}`);

  /** Asks the grouped pass for every step in order; compares the steps `checked` selects. */
  async function compare(
    { windowsDays, grid }: { windowsDays: number[]; grid: StepGrid },
    checked: (index: number) => boolean = () => true,
  ): Promise<Map<number, Sample[]>> {
    const { enabled, deps } = setUp({ windowsDays });
    return expectAsOfAtEveryStep(enabled, deps, grid, listed, checked);
  }

  const value = (samples: readonly Sample[] | undefined, metric: string, window?: string) =>
    samples?.find((s) => s.metric === metric && s.labels.window === window)?.value;

  it('equals the as-of form at every hour across a month boundary (windows a whole number of steps)', async () => {
    const steps = await compare(cases.hourly);
    // Not vacuous: at step 28, from the edges placed there, the rows sent at the instant and a
    // microsecond before it (the one sent 7 days before is out: sent_at > t - 7d) and the row
    // completed at it (the one a microsecond after is not yet).
    const sentBefore = value(steps.get(27), 'chom_referrals_sent_total') ?? Number.NaN;
    const sentAt = value(steps.get(28), 'chom_referrals_sent_total') ?? Number.NaN;
    expect(sentAt - sentBefore).toBeGreaterThanOrEqual(2);
    const completedAt = value(steps.get(28), 'chom_referrals_completed_total') ?? Number.NaN;
    const completedBefore = value(steps.get(27), 'chom_referrals_completed_total') ?? Number.NaN;
    expect(completedAt - completedBefore).toBeGreaterThanOrEqual(1);
    const gauges = [...steps.values()].map((s) =>
      value(s, 'chom_referrals_completed_in_window', '7d'),
    );
    expect(new Set(gauges).size).toBeGreaterThan(1);
  });

  it('equals the as-of form at every day over more than a year, from before the first referral', async () => {
    const steps = await compare(cases.daily);
    expect(value(steps.get(0), 'chom_referrals_sent_total')).toBe(0);
    expect(value(steps.get(460), 'chom_referrals_sent_in_window', '30d')).toBeGreaterThan(0);
  });

  it('equals the as-of form on a grid whose step divides no window (7 h; 2 and 10 days)', async () => {
    await compare(cases.shifted);
  });

  it('equals the as-of form when some windows are whole steps and others not (36 h; 3, 7, 30 days)', async () => {
    await compare(cases.mixed);
  });

  it('equals the as-of form on both sides of the statements a long grid is read in', async () => {
    const { grid, edgeSteps } = cases.long;
    const near = edgeSteps.flatMap((step) => [step - 1, step, step + 1]);
    await compare(
      cases.long,
      (index) => index < 2 || index >= grid.count - 2 || near.includes(index),
    );
  });

  it('declines when a query it replaces is overridden, so that the backfill runs the override at every step', async () => {
    const grid = cases.hourly.grid;
    const last = grid.firstMs + (grid.count - 1) * grid.stepMs;
    // Each override keeps the default's contract and placeholders, so it stays backfillable.
    const overrides: Record<keyof typeof referralQueries, string> = {
      sent: `${referralQueries.sent.sql} AND referred_user_id IS NOT NULL`,
      completed: `${referralQueries.completed.sql} AND referred_user_id IS NOT NULL`,
      in_window: `${referralQueries.in_window.sql} WHERE w.days > 1`,
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
