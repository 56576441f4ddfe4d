/**
 * What the cohort retention query (src/collectors/postgres-cohort-retention.ts)
 * counts, as changes along a step grid: read once for the range, so that the
 * backfill never reads a trailing year of sessions per step.
 *
 * At an instant t the query counts, per signup cohort c (calendar month of
 * created_at, UTC) admitted by t's window:
 * - size(c): users of cohort c with created_at <= t and not deleted at t
 *   (deleted_at IS NULL OR deleted_at > t);
 * - retained(c, a): those of them with a session in calendar month a >= c that
 *   started at or before t (a session in the signup month before the signup
 *   counts: the query compares months, not instants).
 * So a user counts in size(c) while created_at <= t < deleted_at, and in
 * retained(c, a) while max(created_at, their first session in month a) <= t <
 * deleted_at: each user and active month is one span, a +1 where it starts and
 * a -1 where it ends, read here already summed per cohort, month and step.
 * Which cohorts a step admits (the window's months) is decided at the step;
 * users who signed up before the window of the grid's first step never count.
 */
import type { QueryFn } from '../sources/sql-source.js';
import type { StepGrid } from './step-grid.js';

/** Month index of an instant (UTC): year × 12 + month (0-based), the unit of cohorts. */
export function monthIndexOf(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

export function monthStartMs(index: number): number {
  return Date.UTC(Math.floor(index / 12), index % 12, 1);
}

/**
 * The grid index a span starting (or ending) at `at` takes effect at: the
 * first step instant t with at <= t, 0 for anything at or before the first
 * instant. In numeric arithmetic, so that a microsecond after a step instant
 * belongs to the next step as `<= $at` says. $1 the first instant and $2 the
 * step, in milliseconds.
 */
const bucketOf = (at: string) =>
  `greatest(0, ceil((extract(epoch FROM ${at}) * 1000 - $1::numeric) / $2::numeric))::int`;

/**
 * Spans of users in active month [$3, $4), cut at the grid's last instant $5,
 * for cohorts from the grid's first window start $6 to that month: +1 at
 * max(created_at, first session of the month), -1 at deleted_at, summed per
 * cohort (its month index) and bucket. Reads one month of sessions through
 * user_sessions_started_at_idx, each user's first one, as the collector's own
 * query reduces sessions to active months before joining users.
 */
export const retainedDeltasSql = `WITH firsts AS (
  SELECT user_id, min(started_at) AS first_at
  FROM user_sessions
  WHERE started_at >= $3::timestamptz AND started_at < $4::timestamptz
    AND started_at <= $5::timestamptz
  GROUP BY user_id
), spans AS (
  SELECT (extract(year FROM u.created_at) * 12 + extract(month FROM u.created_at) - 1)::int AS cohort,
    greatest(u.created_at, f.first_at) AS since, u.deleted_at AS until
  FROM firsts f
  JOIN users u ON u.id = f.user_id
  WHERE u.created_at >= $6::timestamptz AND u.created_at < $4::timestamptz
    AND u.created_at <= $5::timestamptz
)
SELECT cohort, ${bucketOf('e.at')} AS bucket, sum(e.delta)::int AS delta
FROM spans CROSS JOIN LATERAL (VALUES (since, 1), (until, -1)) AS e(at, delta)
WHERE (until IS NULL OR until > since) AND e.at <= $5::timestamptz
GROUP BY 1, 2`;

/**
 * Spans of the users who signed up in month [$3, $4), cut at the grid's last
 * instant $5: +1 at created_at, -1 at deleted_at, summed per bucket.
 */
export const sizeDeltasSql = `SELECT ${bucketOf('e.at')} AS bucket, sum(e.delta)::int AS delta
FROM users CROSS JOIN LATERAL (VALUES (created_at, 1), (deleted_at, -1)) AS e(at, delta)
WHERE created_at >= $3::timestamptz AND created_at < $4::timestamptz
  AND created_at <= $5::timestamptz
  AND (deleted_at IS NULL OR deleted_at > created_at) AND e.at <= $5::timestamptz
GROUP BY 1`;

/** One change of a count: `active` set for retained(cohort, active), absent for size(cohort). */
export interface CohortDelta {
  readonly cohort: number;
  readonly active?: number;
  readonly delta: number;
}

/**
 * The changes per bucket of the grid (bucket j applies at step j; bucket 0
 * holds everything up to the first instant), for the cohorts any step of the
 * grid admits with a window of `months`. One statement per calendar month per
 * kind, each reading only that month's sessions or signups: as many entries as
 * cohorts × months × buckets that see a change, whatever the users.
 */
export async function cohortDeltas(
  query: QueryFn,
  grid: StepGrid,
  months: number,
): Promise<Map<number, CohortDelta[]>> {
  const byBucket = new Map<number, CohortDelta[]>();
  const add = (bucket: number, change: CohortDelta) => {
    if (change.delta === 0) return;
    const list = byBucket.get(bucket);
    if (list) list.push(change);
    else byBucket.set(bucket, [change]);
  };
  const lastMs = grid.firstMs + (grid.count - 1) * grid.stepMs;
  const iso = (ms: number) => new Date(ms).toISOString();
  const firstCohort = monthIndexOf(grid.firstMs) - months;
  const common = [String(grid.firstMs), String(grid.stepMs)];
  for (let month = firstCohort; month <= monthIndexOf(lastMs); month += 1) {
    const range = [iso(monthStartMs(month)), iso(monthStartMs(month + 1)), iso(lastMs)];
    const sizes = await query(sizeDeltasSql, [...common, ...range]);
    for (const row of sizes.rows)
      add(Number(row.bucket), { cohort: month, delta: Number(row.delta) });
    const retained = await query(retainedDeltasSql, [
      ...common,
      ...range,
      iso(monthStartMs(firstCohort)),
    ]);
    for (const row of retained.rows)
      add(Number(row.bucket), {
        cohort: Number(row.cohort),
        active: month,
        delta: Number(row.delta),
      });
  }
  return byBucket;
}
