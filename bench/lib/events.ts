import pg from 'pg';

/**
 * Grows the analytics events table to `total` rows with generated events,
 * deterministically (row i's name, instant, user and properties are functions
 * of i): the demo's mix of event names (logins half of them, feature uses a
 * fifth, page views, signups, ...), spread evenly over the demo's time span
 * (earliest to latest demo event), with the demo's own channel, feature and
 * page values. The other tables stay at the demo's size, so a bench on it
 * measures what the events table's size costs.
 */
export async function growEvents(url: string, total: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM analytics_events',
    );
    const add = total - Number(rows[0]?.n ?? 0);
    if (add <= 0) return 0;
    // Per mille of each event name, from the demo's mix.
    await client.query(
      `WITH span AS (
         SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM analytics_events
       ), values AS (
         SELECT
           (SELECT array_agg(DISTINCT properties ->> 'channel') FROM analytics_events WHERE properties ? 'channel') AS channels,
           (SELECT array_agg(DISTINCT properties ->> 'feature') FROM analytics_events WHERE properties ? 'feature') AS features,
           (SELECT array_agg(DISTINCT properties ->> 'page') FROM analytics_events WHERE properties ? 'page') AS pages
       ), rows AS (
         SELECT i, (i * 7919) % 1000 AS pick,
           span.first + (span.last - span.first) * (i::float8 / $1::float8) AS at
         FROM generate_series(1, $1::bigint) AS i, span
       )
       INSERT INTO analytics_events (occurred_at, received_at, event_name, user_id, properties)
       SELECT r.at, r.at, e.name, 1 + r.i % 3000,
         CASE e.name
           WHEN 'signed_up' THEN jsonb_build_object('channel', v.channels[1 + r.i % cardinality(v.channels)])
           WHEN 'feature_used' THEN jsonb_build_object('feature', v.features[1 + r.i % cardinality(v.features)])
           WHEN 'page_viewed' THEN jsonb_build_object('page', v.pages[1 + r.i % cardinality(v.pages)])
           WHEN 'landing_page_converted' THEN jsonb_build_object('page', v.pages[1 + r.i % cardinality(v.pages)])
           ELSE '{}'::jsonb
         END
       FROM rows r CROSS JOIN values v
       CROSS JOIN LATERAL (SELECT CASE
           WHEN r.pick < 495 THEN 'logged_in'
           WHEN r.pick < 720 THEN 'feature_used'
           WHEN r.pick < 875 THEN 'page_viewed'
           WHEN r.pick < 927 THEN 'signed_up'
           WHEN r.pick < 961 THEN 'activated'
           WHEN r.pick < 984 THEN 'trial_started'
           WHEN r.pick < 994 THEN 'landing_page_converted'
           ELSE 'converted_to_paid' END AS name) AS e`,
      [add],
    );
    await client.query('VACUUM ANALYZE analytics_events');
    return add;
  } finally {
    await client.end();
  }
}
