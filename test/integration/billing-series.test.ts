import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingStepsPerRead } from '../../src/backfill/billing-series.js';
import { contextAt } from '../../src/backfill/evaluate.js';
import type { StepGrid } from '../../src/backfill/series-hook.js';
import { seriesHookOf } from '../../src/backfill/series-hook.js';
import { createPostgresMonthStartStore } from '../../src/billing/month-start-store.js';
import { billingMrr } from '../../src/collectors/billing-mrr.js';
import { seedDemoData } from '../../src/demo/seed.js';
import type { Sample } from '../../src/metrics/spec.js';
import { billingFixtureSql } from '../fixtures/billing-fixture.js';
import { asOfForm, collectorUnderTest, groupedPass } from '../helpers/collector-under-test.js';
import { dayMs, hourMs, monthStart, today } from '../helpers/step-instants.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * Samples keyed by series, values exact: without a month-opening store the
 * collector and the pass fold the same pages the same way (reconstructed-fold.ts).
 */
const keyed = (samples: readonly Sample[]) =>
  Object.fromEntries(samples.map((s) => [`${s.metric}${JSON.stringify(s.labels)}`, s.value]));

/** The grids compared. */
const grids = {
  // Hourly across this month's start: the opening and the movements change month.
  hourly: { firstMs: monthStart - 30 * hourMs, stepMs: hourMs, count: 60 },
  // Daily over more than a year, from before the first subscription of the demo.
  daily: { firstMs: today - 460 * dayMs, stepMs: dayMs, count: 461 },
  // 7 h steps, more than one read of the mirror (a block boundary inside).
  blocks: {
    firstMs: today - (billingStepsPerRead + 40) * 7 * hourMs,
    stepMs: 7 * hourMs,
    count: billingStepsPerRead + 41,
  },
} satisfies Record<string, StepGrid>;

/**
 * The backfill's grouped pass for billing_mrr (the mirror read once per block
 * of steps, each page of customers folded into every step of the block) must
 * give at every step the samples the collector's as-of form gives there alone.
 */
describe('billing_mrr grouped backfill pass', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });
  let fixture: TestDatabase;
  let demo: TestDatabase;
  beforeAll(async () => {
    fixture = await createTestDatabase();
    demo = await createTestDatabase();
    databases.push(fixture, demo);
    await fixture.sql(billingFixtureSql);
    await seedDemoData(demo.url);
  }, 120_000);

  async function compare(database: () => TestDatabase, grid: StepGrid, pageCustomers: number) {
    const collector = collectorUnderTest('billing_mrr', () => database().url);
    try {
      const { enabled, deps } = collector.setUp({ pageCustomers });
      const series = await groupedPass(enabled, deps, grid);
      let moved = 0;
      for (let i = 0; i < grid.count; i += 1) {
        const at = grid.firstMs + i * grid.stepMs;
        const got = await series(i);
        const expected = await asOfForm(enabled, at, deps);
        expect(keyed(got), `step ${i} at ${new Date(at).toISOString()}`).toEqual(keyed(expected));
        moved += got.filter((s) => s.metric === 'chom_revenue_mrr_movement' && s.value > 0).length;
      }
      // Not a grid of empty months: movements happened at some steps.
      expect(moved).toBeGreaterThan(0);
    } finally {
      await collector.close();
    }
  }

  it('equals the as-of form at every step of an hourly grid across the month start (fixture)', async () => {
    await compare(() => fixture, grids.hourly, 2);
  }, 120_000);

  for (const [name, grid] of Object.entries(grids)) {
    it(`equals the as-of form at every step on the demo's mirror (${name})`, async () => {
      await compare(() => demo, grid, 37);
    }, 600_000);
  }

  it('declines for Stripe and with a month-opening store, so the backfill evaluates per step', async () => {
    const hook = seriesHookOf(billingMrr);
    if (!hook) throw new Error('billing_mrr has no grouped pass');
    const grid = grids.hourly;
    const collector = collectorUnderTest('billing_mrr', () => fixture.url);
    try {
      const { enabled, deps } = collector.setUp({});
      const { ctx } = contextAt(enabled, grid.firstMs, deps);
      const options = ctx.options as Record<string, unknown>;
      // The database source without a store: the pass stands for the collector.
      expect(await hook(ctx, grid)).toBeTypeOf('function');
      const monthStartStore = createPostgresMonthStartStore(fixture.url);
      try {
        const stored = { ...ctx, sources: { ...ctx.sources, monthStartStore } };
        expect(await hook(stored, grid)).toBeUndefined();
      } finally {
        await monthStartStore.close();
      }
      expect(
        await hook({ ...ctx, options: { ...options, source: 'stripe' } }, grid),
      ).toBeUndefined();
    } finally {
      await collector.close();
    }
  });
});
