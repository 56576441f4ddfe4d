import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepsPerStatement } from '../../src/backfill/event-counter-series.js';
import type { StepGrid } from '../../src/backfill/series-hook.js';
import { seedDemoData } from '../../src/demo/seed.js';
import type { Sample } from '../../src/metrics/spec.js';
import { asOfForm, collectorUnderTest, groupedPass } from '../helpers/collector-under-test.js';
import { dayMs, hourMs } from '../helpers/step-instants.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * The backfill's grouped pass for the event counters (one scan per range)
 * must give, at every step of a grid, exactly the samples the collector's
 * as-of form gives when evaluated at that step alone: the lifetime counters
 * and the `_in_window` gauges, so that a backfill agrees with live runs.
 * On the demo data, plus events placed exactly on the grid's instants and on
 * the instants one window earlier (the `<=` and `>` edges of the as-of SQL).
 */
describe('event counters over a step grid (grouped pass)', () => {
  let db: TestDatabase;
  const collector = collectorUnderTest('analytics_event_counters', () => db.url);
  const { setUp } = collector;
  // Today's month start: the demo's events run up to the seeding instant.
  const now = new Date();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.url);
    // Events on the edges: at a step instant and exactly 7 and 30 days before another.
    const edges = [0, 1, 7, 30].flatMap((days) => [
      new Date(monthStart - 2 * hourMs - days * dayMs).toISOString(),
      new Date(monthStart + 5 * hourMs - days * dayMs).toISOString(),
    ]);
    await db.sql(
      `INSERT INTO analytics_events (event_name, occurred_at, properties)
       SELECT e, t::timestamptz, jsonb_build_object('channel', 'organic', 'page', 'unlisted-page')
       FROM unnest($1::text[]) AS t, unnest(ARRAY['signed_up', 'page_viewed']) AS e`,
      [edges],
    );
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

  /** Asks the grouped pass for every step in order; compares the steps `checked` selects. */
  async function compare(
    options: Record<string, unknown>,
    grid: StepGrid,
    checked: (index: number) => boolean = () => true,
  ): Promise<Sample[][]> {
    const { enabled, deps } = setUp(options);
    const series = await groupedPass(enabled, deps, grid);
    const all: Sample[][] = [];
    for (let i = 0; i < grid.count; i += 1) {
      const got = await series(i);
      if (!checked(i)) continue;
      const at = grid.firstMs + i * grid.stepMs;
      const expected = await asOfForm(enabled, at, deps);
      expect(keyed(got), `step ${i} at ${new Date(at).toISOString()}`).toEqual(keyed(expected));
      all.push([...got]);
    }
    return all;
  }

  const value = (samples: readonly Sample[], metric: string, labels: Record<string, string>) =>
    samples.find(
      (s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    )?.value;

  it('equals the as-of form at every hour across a month boundary (windows a whole number of steps)', async () => {
    const steps = await compare(
      {},
      { firstMs: monthStart - 30 * hourMs, stepMs: hourMs, count: 60 },
    );
    // Not vacuous: the gauges move and the edge events count where the as-of SQL counts them.
    const gauges = steps.map((s) => value(s, 'chom_funnel_signups_in_window', { window: '7d' }));
    expect(new Set(gauges).size).toBeGreaterThan(1);
    // At step 28 (2 h before the month): the edge events 0 and 1 day back, and those 19 h and
    // 6 days 19 h back; not the one exactly 7 days back (occurred_at > t - 7d).
    const other = { page: 'other', window: '7d' };
    expect(
      value(steps[28] as Sample[], 'chom_landing_page_visits_in_window', other),
    ).toBeGreaterThanOrEqual(4);
  });

  it('equals the as-of form on a grid whose step divides no window (7 h; 2 and 10 days)', async () => {
    await compare(
      { windowsDays: [2, 10] },
      { firstMs: monthStart + 5 * hourMs - 42 * 7 * hourMs, stepMs: 7 * hourMs, count: 70 },
    );
  });

  it('equals the as-of form on a daily grid starting before the first event, with the default windows', async () => {
    await compare({}, { firstMs: monthStart - 420 * dayMs, stepMs: dayMs, count: 40 });
    await compare({}, { firstMs: monthStart - 380 * dayMs, stepMs: 7 * hourMs, count: 50 });
  });

  it('equals the as-of form on both sides of the statements a long grid is read in', async () => {
    const edges = [1, 2, 3].flatMap((k) => {
      const first = k * stepsPerStatement;
      return [first - 2, first - 1, first, first + 1];
    });
    const count = 3 * stepsPerStatement + 10;
    await compare(
      {},
      { firstMs: monthStart - (count - 20) * hourMs, stepMs: hourMs, count },
      (index) => index < 2 || index >= count - 2 || edges.includes(index),
    );
  });
});
