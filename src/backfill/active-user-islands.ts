/**
 * How many distinct users have a session in the closed window [t - W, t], at
 * each instant t of a step grid and for each window W, as the active users
 * query (src/collectors/postgres-active-users.ts) counts them at t, read in a
 * few grouped statements instead of one distinct count per step and window.
 *
 * A session started at s puts its user in the window of every t with
 * t - W <= s <= t, i.e. t in the closed interval [s, s + W]. A user counts at
 * t when t lies in the union of their intervals: the union of the intervals of
 * one user, sorted by s, is made of islands (a session starts one when the
 * user's previous session is more than W before it, and ends one when the next
 * is more than W after it; all the intervals have the same length W, so an
 * island ends W after its last session). Each island adds 1 from the first
 * grid instant at or after its start to the last one at or before its end: a
 * +1 at its first session, a -1 a microsecond after its last session + W (the
 * first instant after the end; timestamps are whole microseconds), summed per
 * window and grid bucket (grid-buckets.ts) in SQL, so that a statement returns
 * a few rows per step whatever the sessions.
 *
 * Only sessions from the grid's first instant minus the longest window up to
 * its last instant are read (the `universe`): an earlier session's interval
 * ends before the first instant, so the islands cut to the grid are the same
 * without it, and a later one never counts at a step.
 */
import { parseNumericCell } from '../sources/query-contract.js';
import type { QueryFn } from '../sources/sql-source.js';
import { stepsPerStatement } from './event-counter-series.js';
import { binSql, bucketOf, edgeSql, instantText } from './grid-buckets.js';
import type { StepGrid } from './step-grid.js';

/**
 * The +1s and -1s of the sessions started in ($3, $4] (and in the universe
 * [$5, $6]), per window ($7, milliseconds; `w` its 1-based position) and grid
 * bucket ($1 the first instant, $2 the step in milliseconds: binSql). Statements
 * are slices of the sessions by start, and a user's islands cross slices: a
 * session's previous and next ones in the universe come from the slice (lag and
 * lead) or, for the first and last of a user in the slice, from one lookup
 * each through user_sessions (user_id, started_at). So every session is read
 * by one statement and sees its true neighbours: each island's +1 and -1 are
 * given once, by the statements of its first and last sessions. The neighbours
 * are materialized so that each lookup runs once per session, not once per
 * window and reference. Sessions of a
 * user with the same start are indistinguishable here (same start, and each
 * the other's neighbour), so their order does not matter.
 */
export const islandChangesSql = `WITH slice AS (
  SELECT user_id, started_at,
    lag(started_at) OVER by_user AS prev, lead(started_at) OVER by_user AS next
  FROM user_sessions
  WHERE started_at > $3::timestamptz AND started_at <= $4::timestamptz
    AND started_at >= $5::timestamptz AND started_at <= $6::timestamptz
  WINDOW by_user AS (PARTITION BY user_id ORDER BY started_at)
), neighbours AS MATERIALIZED (
  SELECT started_at,
    coalesce(prev, (SELECT max(p.started_at) FROM user_sessions p
      WHERE p.user_id = s.user_id AND p.started_at < s.started_at
        AND p.started_at >= $5::timestamptz)) AS prev,
    coalesce(next, (SELECT min(n.started_at) FROM user_sessions n
      WHERE n.user_id = s.user_id AND n.started_at > s.started_at
        AND n.started_at <= $6::timestamptz)) AS next
  FROM slice s
), changes AS (
  SELECT w.i, c.at, c.delta
  FROM neighbours s
  CROSS JOIN unnest($7::bigint[]) WITH ORDINALITY AS w(ms, i)
  CROSS JOIN LATERAL (VALUES
    -- An island starts here: +1 from the first instant at or after it.
    (CASE WHEN s.prev IS NULL OR s.started_at > s.prev + w.ms * interval '1 millisecond'
      THEN s.started_at END, 1),
    -- An island ends W after here: -1 from the first instant after that, if one is on the grid.
    (CASE WHEN (s.next IS NULL OR s.next > s.started_at + w.ms * interval '1 millisecond')
        AND s.started_at + w.ms * interval '1 millisecond' < $6::timestamptz
      THEN s.started_at + w.ms * interval '1 millisecond' + interval '1 microsecond' END, -1)
  ) AS c(at, delta)
  WHERE c.at IS NOT NULL
)
SELECT i, bin, ${edgeSql('at', 'bin')} AS edge, sum(delta) AS n
FROM (SELECT i, at, delta, ${binSql('at')} AS bin FROM changes) AS b
GROUP BY 1, 2, 3`;

/**
 * For each window (in milliseconds, in the order given), the number of users
 * with a session in [t - W, t] at each instant t of the grid (index j: instant
 * j). One statement per slice of `stepsPerStatement` steps, each reading the
 * sessions started in its slice (the first also those of the longest window
 * before the grid), so that no statement reads more than a slice of the range
 * and the windows before it.
 */
export async function activeUserCounts(
  query: QueryFn,
  windowsMs: readonly number[],
  grid: StepGrid,
): Promise<number[][]> {
  const deltas = windowsMs.map(() => new Array<number>(grid.count).fill(0));
  const instant = (index: number) => instantText(grid, index);
  const universe = [
    new Date(grid.firstMs - Math.max(...windowsMs)).toISOString(),
    instant(grid.count - 1),
  ];
  for (let from = 0; from < grid.count; from += stepsPerStatement) {
    const to = Math.min(grid.count - 1, from + stepsPerStatement - 1);
    const result = await query(islandChangesSql, [
      instant(0),
      grid.stepMs,
      from === 0 ? '-infinity' : instant(from - 1),
      instant(to),
      ...universe,
      windowsMs,
    ]);
    for (const row of result.rows) {
      const window = deltas[Number(row.i) - 1];
      const bucket = bucketOf(grid, row.bin, row.edge);
      if (!window || bucket >= grid.count)
        throw new Error(`active users: a change at bucket ${bucket} of window ${row.i}`);
      window[bucket] = (window[bucket] as number) + (parseNumericCell(row.n) ?? 0);
    }
  }
  return deltas.map((window) => {
    let running = 0;
    return window.map((delta) => {
      running += delta;
      return running;
    });
  });
}
