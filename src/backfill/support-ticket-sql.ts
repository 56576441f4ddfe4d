/**
 * The two statements of the support tickets' grouped pass, each bucketed on
 * a step grid (grid-buckets.ts: $1 the grid's first instant, $2 its step in
 * milliseconds, $3 its last instant). Each reads the table once for the
 * whole grid: support_tickets has no index on created_at or
 * first_response_at, so a statement per slice of steps (as the events pass
 * reads its indexed table) would scan the whole table once per slice.
 */
import { ticketStatusAsOfSql } from '../collectors/postgres-support-tickets.js';
import { binSql, edgeSql } from './grid-buckets.js';

/**
 * The timestamps the created counter, the created windows and the timings
 * count, by kind and priority per bucket: `created` (created_at),
 * `first_response` (first_response_at, with first_response_at - created_at
 * summed in microseconds) and `resolution` (resolved_at, with resolved_at -
 * created_at). A NULL timestamp is in no bucket, as it is in no window.
 */
export const ticketStampsSql = `SELECT kind, priority, bin, ${edgeSql('stamp', 'bin')} AS edge, count(*) AS n, sum(micros) AS micros
FROM (
  SELECT s.kind, t.priority, s.stamp, s.micros, ${binSql('s.stamp')} AS bin
  FROM support_tickets t
  CROSS JOIN LATERAL (VALUES
    ('created', t.created_at, 0::bigint),
    ('first_response', t.first_response_at,
      (extract(epoch FROM t.first_response_at - t.created_at) * 1000000)::bigint),
    ('resolution', t.resolved_at,
      (extract(epoch FROM t.resolved_at - t.created_at) * 1000000)::bigint)
  ) AS s(kind, stamp, micros)
  WHERE s.stamp <= $3::timestamptz
) AS stamped
GROUP BY 1, 2, 3, 4`;

/**
 * Changes of the tickets counted by (status, priority) as of each instant,
 * per bucket. A ticket counts from created_at on, in the status by_status
 * gives it (`ticketStatusAsOfSql`), which changes only at first_response_at
 * and resolved_at: +1 in its status at created_at, then at each later
 * distinct change point p, -1 in the status it had just before (as of p
 * minus a microsecond, timestamptz's resolution: x <= p - 1µs is x < p) and
 * +1 in the status as of p. Summed up to an instant, they give by_status
 * there. A change point before created_at is already in the status at
 * created_at.
 */
export const ticketStatusChangesSql = `SELECT status, priority, bin, ${edgeSql('point', 'bin')} AS edge, sum(delta) AS n
FROM (
  SELECT ${ticketStatusAsOfSql('c.instant')} AS status,
    priority, p.point, c.delta, ${binSql('p.point')} AS bin
  FROM support_tickets
  CROSS JOIN LATERAL (
    SELECT DISTINCT v.point
    FROM (VALUES (created_at), (first_response_at), (resolved_at)) AS v(point)
    WHERE v.point >= created_at AND v.point <= $3::timestamptz
  ) AS p
  CROSS JOIN LATERAL (VALUES (p.point, 1), (p.point - interval '1 microsecond', -1)) AS c(instant, delta)
  WHERE c.delta = 1 OR p.point > created_at
) AS changes
GROUP BY 1, 2, 3, 4
HAVING sum(delta) <> 0`;
