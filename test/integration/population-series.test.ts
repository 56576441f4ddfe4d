import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextAt } from '../../src/backfill/evaluate.js';
import { stepsPerStatement } from '../../src/backfill/event-counter-series.js';
import { type StepGrid, seriesHookOf } from '../../src/backfill/series-hook.js';
import { isBackfillable } from '../../src/collectors/as-of.js';
import { customerHealthQueries } from '../../src/collectors/postgres-customer-health.js';
import { engagementQueries } from '../../src/collectors/postgres-engagement.js';
import { seedDemoData } from '../../src/demo/seed.js';
import type { Sample } from '../../src/metrics/spec.js';
import {
  collectorUnderTest,
  expectAsOfAtEveryStep,
  groupedPass,
} from '../helpers/collector-under-test.js';
import { dayMs, hourMs, monthStart, today } from '../helpers/step-instants.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const longCount = 2 * stepsPerStatement + 10;

/** The grids compared and the steps where edge organizations and users are placed. */
const cases = {
  // Hourly across a month boundary.
  hourly: {
    grid: { firstMs: monthStart - 30 * hourMs, stepMs: hourMs, count: 60 },
    edgeSteps: [0, 1, 28, 30, 59],
  },
  // Daily over more than a year, starting before the first organization (450 days old).
  daily: {
    grid: { firstMs: today - 460 * dayMs, stepMs: dayMs, count: 461 },
    edgeSteps: [5, 200, 460],
  },
  // 7 h steps, off the days.
  sevenHours: {
    grid: { firstMs: monthStart - 12 * dayMs - 3 * hourMs, stepMs: 7 * hourMs, count: 70 },
    edgeSteps: [0, 33, 69],
  },
  // Hourly over more than two slices of the sweep: edges on both sides of each.
  long: {
    grid: { firstMs: today - (longCount - 20) * hourMs, stepMs: hourMs, count: longCount },
    edgeSteps: [1, 2].flatMap((k) => [k * stepsPerStatement - 1, k * stepsPerStatement]),
  },
} satisfies Record<string, { grid: StepGrid; edgeSteps: number[] }>;

/**
 * Organizations placed around an instant x of a grid of step d: created (at
 * x + steps·d + µs) and deleted, with their payment status. `born` is created
 * on x; `gone` deleted on x (alive at the step before only); `late` deleted a
 * microsecond after x (alive at x); `empty` has no users; `flash` is created
 * and deleted on x and `backwards` deleted before it was created (never alive).
 */
const edgeOrganizations = `(VALUES
  ('born', 0, 0, NULL::int, NULL::int, 'current'),
  ('gone', -1, 0, 0, 0, 'past_due'),
  ('late', -1, 0, 0, 1, 'delinquent'),
  ('empty', 0, 0, NULL, NULL, 'current'),
  ('flash', 0, 0, 0, 0, 'past_due'),
  ('backwards', 0, 0, 0, -1, 'current')
) AS v(tag, created_steps, created_micros, deleted_steps, deleted_micros, pay)`;

/**
 * Users of those organizations, the same way: on x, a microsecond after it,
 * deleted on x or on the step before, created and deleted on x, and two
 * deleted before they were created (never alive): an hour before, and a step
 * before in an organization alive at that step (a -1 there, were it counted).
 */
const edgeUsers = `(VALUES
  ('born', 0, 0, NULL::int, NULL::int, NULL::int),
  ('born', 0, 1, NULL, NULL, NULL),
  ('born', 0, 0, 0, 0, NULL),
  ('born', 0, 0, NULL, NULL, -1),
  ('gone', -1, 0, NULL, NULL, NULL),
  ('late', -1, 0, NULL, NULL, NULL),
  ('late', -1, 0, 0, 0, NULL),
  ('late', -1, -1, -1, 0, NULL),
  ('late', 0, 0, -1, 0, NULL),
  ('flash', 0, 0, NULL, NULL, NULL),
  ('backwards', -1, 0, NULL, NULL, NULL)
) AS v(tag, created_steps, created_micros, deleted_steps, deleted_micros, deleted_hours)`;

/**
 * The backfill's grouped passes for postgres_engagement and
 * postgres_customer_health (the population swept once for the range, the
 * windows read per step) must give, at every step of a grid, exactly the
 * samples the collector gives when evaluated at that step alone. On the demo
 * data plus organizations and users created and deleted exactly on step
 * instants and a microsecond around them, a user deleted before it was
 * created, and an organization without users.
 */
describe('engagement and customer health over a step grid (grouped passes)', () => {
  let db: TestDatabase;
  const engagement = collectorUnderTest('postgres_engagement', () => db.url);
  const health = collectorUnderTest('postgres_customer_health', () => db.url);

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.url);
    const edges = Object.values(cases).flatMap(({ grid, edgeSteps }) =>
      edgeSteps.map((step) => ({ at: grid.firstMs + step * grid.stepMs, stepMs: grid.stepMs })),
    );
    const params = [edges.map((e) => new Date(e.at).toISOString()), edges.map((e) => e.stepMs)];
    const edgeSql = `unnest($1::timestamptz[], $2::bigint[]) WITH ORDINALITY AS e(x, d, n)`;
    const at = (steps: string, micros: string) =>
      `e.x + ${steps} * e.d * interval '1 millisecond' + ${micros} * interval '1 microsecond'`;
    await db.sql(
      `INSERT INTO organizations (slug, name, payment_status, created_at, deleted_at)
       SELECT 'edge-' || e.n || '-' || v.tag, 'Edge ' || e.n || ' ' || v.tag, v.pay,
         ${at('v.created_steps', 'v.created_micros')}, ${at('v.deleted_steps', 'v.deleted_micros')}
       FROM ${edgeSql}, ${edgeOrganizations}`,
      params,
    );
    await db.sql(
      `INSERT INTO users (organization_id, email, created_at, deleted_at)
       SELECT o.id, 'edge-' || e.n || '-' || v.tag || '-' || v.k || '@example.test',
         ${at('v.created_steps', 'v.created_micros')},
         coalesce(${at('v.deleted_steps', 'v.deleted_micros')},
                  e.x + v.deleted_hours * interval '1 hour')
       FROM ${edgeSql}
         CROSS JOIN (SELECT row_number() OVER () AS k, * FROM ${edgeUsers}) AS v
         JOIN organizations o ON o.slug = 'edge-' || e.n || '-' || v.tag`,
      params,
    );
    // A session per edge user at its signup (whatever its lifetime): each organization's sessions
    // per user then depend on how many of its users are counted.
    await db.sql(
      `INSERT INTO user_sessions (user_id, organization_id, started_at, ended_at, action_count)
       SELECT id, organization_id, created_at, created_at + interval '10 minutes', 3
       FROM users WHERE email LIKE 'edge-%'`,
    );
  });

  afterAll(async () => {
    await engagement.close();
    await health.close();
    await db.drop();
  });

  /**
   * Means over organizations in float8 (engagement's avg in SQL, health's mean in code) add
   * their terms in the order the rows come, which the plan decides and the query leaves
   * unordered: the as-of query's hash join and the pass's array give the same terms in another
   * order, so these agree to the last bits only (seen: 61.958793494201224 and
   * 61.95879349420124); they are compared on 12 significant digits, a missing or extra
   * organization moves them by far more. Every other value (counts, each organization's
   * score, the session means that read no population) is compared exactly.
   */
  const orderDependent = new Set([
    'chom_customer_engagement_score',
    'chom_customer_health_score_mean',
  ]);
  /** Samples in the order the collector gives them, as comparable strings. */
  const listed = (samples: readonly Sample[]) =>
    samples.map(
      (s) =>
        `${s.metric}${JSON.stringify(s.labels)} ${orderDependent.has(s.metric) ? s.value.toPrecision(12) : s.value}`,
    );

  /** Asks the grouped pass for every step in order; compares the steps `checked` selects. */
  async function compare(
    collector: typeof engagement,
    options: Record<string, unknown>,
    grid: StepGrid,
    checked: (index: number) => boolean = () => true,
  ): Promise<Map<number, Sample[]>> {
    const { enabled, deps } = collector.setUp(options);
    return expectAsOfAtEveryStep(enabled, deps, grid, listed, checked);
  }

  const value = (samples: readonly Sample[] | undefined, metric: string, band?: string) =>
    samples?.find((s) => s.metric === metric && s.labels.band === band)?.value;
  const scored = (samples: readonly Sample[] | undefined) =>
    ['critical', 'at_risk', 'healthy', 'excellent'].reduce(
      (sum, band) => sum + (value(samples, 'chom_customer_health_organizations', band) ?? 0),
      0,
    );
  const listedOrganizations = (samples: readonly Sample[] | undefined) =>
    (samples ?? [])
      .filter((s) => s.metric === 'chom_customer_health_score')
      .map((s) => s.labels.organization);

  // Every organization scored is listed, so that the edge ones can be seen coming and going.
  const everyOrganization = { maxOrganizations: 1000 };

  describe.each(Object.entries(cases))('%s grid', (name, { grid, edgeSteps }) => {
    const checked =
      name === 'long'
        ? (index: number) =>
            index < 2 ||
            index >= grid.count - 2 ||
            edgeSteps.some((step) => Math.abs(index - step) <= 1)
        : undefined;

    it('customer health equals the as-of form at every step', { timeout: 240_000 }, async () => {
      const steps = await compare(health, everyOrganization, grid, checked);
      if (name === 'long') {
        // Not vacuous: the edges placed on each side of a slice's end change the population.
        for (const step of edgeSteps)
          expect(listedOrganizations(steps.get(step)), `step ${step}`).not.toEqual(
            listedOrganizations(steps.get(step - 1)),
          );
      }
      if (name !== 'hourly') return;
      // Not vacuous: at step 28 (edge n = 3 of the hourly case) `born` and `empty` appear and
      // `gone` goes; `late` stays (deleted a microsecond after the instant).
      const before = listedOrganizations(steps.get(27));
      const at = listedOrganizations(steps.get(28));
      expect(before).toContain('edge-3-gone');
      expect(at).not.toContain('edge-3-gone');
      expect(at).toContain('edge-3-empty');
      expect(at).toContain('edge-3-late');
      expect(at).not.toContain('edge-3-flash');
      expect(at).not.toContain('edge-3-backwards');
      expect(scored(steps.get(28)) - scored(steps.get(27))).toBe(1);
    });

    // The sweep's slices are the same for both passes: the long grid runs customer health only
    // (every organization listed), as a thousand steps take about a minute per collector.
    if (name !== 'long')
      it('engagement equals the as-of form at every step', async () => {
        const steps = await compare(engagement, {}, grid, checked);
        const scores = [...steps.values()].map((s) => value(s, 'chom_customer_engagement_score'));
        expect(new Set(scores).size).toBeGreaterThan(1);
      });
  });

  it('the daily grid starts before the first organization: nothing scored there', async () => {
    const { enabled, deps } = health.setUp({});
    const series = await groupedPass(enabled, deps, cases.daily.grid);
    expect(scored(await series(0))).toBe(0);
    expect(scored(await series(460))).toBeGreaterThan(300);
  });

  it('declines when a query it replaces is overridden, so that the backfill runs the override at every step', async () => {
    const grid = cases.hourly.grid;
    const last = grid.firstMs + (grid.count - 1) * grid.stepMs;
    // Each override keeps the default's contract and placeholders, so it stays backfillable.
    const overrides: [typeof engagement, string, string][] = [
      [engagement, 'engagement', engagementQueries.engagement.sql],
      [engagement, 'sessions', engagementQueries.sessions.sql],
      [health, 'scores', customerHealthQueries.scores.sql],
    ];
    for (const [collector, name, sql] of overrides) {
      const { enabled, deps } = collector.setUp({ queries: { [name]: `${sql}\n-- mine` } });
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
