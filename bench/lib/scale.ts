import pg from 'pg';

/**
 * Grows a demo database by `count` more organizations, so that the per-organization
 * query of the default pack (customer health) returns that many more rows: the one
 * label of the pack whose values grow with the data. Each new organization gets
 * two users, four sessions in the last 30 days, two features in use and, every
 * seventh one, a support ticket, so the health query joins real activity.
 *
 * Deterministic: every value is derived from the organization's number, not drawn
 * at random, and numbering continues from the organizations already added, so
 * growing a database to 1k, then 10k, then 50k gives the same data as growing it
 * to 50k at once.
 */
export async function addOrganizations(url: string, count: number): Promise<void> {
  if (count <= 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM organizations WHERE slug LIKE 'bench-org-%'`,
    );
    const first = (rows[0]?.n ?? 0) + 1;
    const last = first + count - 1;
    await client.query(
      `INSERT INTO organizations (slug, name, acquisition_channel, payment_status, created_at)
       SELECT 'bench-org-' || lpad(i::text, 6, '0'), 'Bench Org ' || i,
         (ARRAY['organic', 'paid', 'referral', 'direct'])[1 + i % 4],
         CASE WHEN i % 10 = 0 THEN 'past_due' ELSE 'current' END,
         now() - make_interval(days => 31 + i % 300)
       FROM generate_series($1::int, $2::int) AS i`,
      [first, last],
    );
    await client.query(
      `INSERT INTO users (organization_id, email, signup_channel, created_at, activated_at)
       SELECT o.id, o.slug || '-' || u || '@bench.example', o.acquisition_channel,
         o.created_at + make_interval(days => u), o.created_at + make_interval(days => u + 1)
       FROM organizations o CROSS JOIN generate_series(1, 2) AS u
       WHERE o.slug BETWEEN 'bench-org-' || lpad($1::text, 6, '0')
                        AND 'bench-org-' || lpad($2::text, 6, '0')`,
      [first, last],
    );
    const newUsers = `SELECT u.id AS user_id, u.organization_id
       FROM users u JOIN organizations o ON o.id = u.organization_id
       WHERE o.slug BETWEEN 'bench-org-' || lpad($1::text, 6, '0')
                        AND 'bench-org-' || lpad($2::text, 6, '0')`;
    await client.query(
      `INSERT INTO user_sessions (user_id, organization_id, started_at, ended_at, action_count)
       SELECT n.user_id, n.organization_id,
         date_trunc('day', now()) - make_interval(days => ((n.user_id + s * 7) % 29)::int, hours => s),
         date_trunc('day', now()) - make_interval(days => ((n.user_id + s * 7) % 29)::int, hours => s)
           + interval '20 minutes',
         1 + (n.user_id * s) % 40
       FROM (${newUsers}) n CROSS JOIN generate_series(1, 2) AS s`,
      [first, last],
    );
    await client.query(
      `INSERT INTO feature_usage (organization_id, user_id, feature, usage_date, use_count)
       SELECT n.organization_id, n.user_id,
         (ARRAY['dashboards', 'reports', 'integrations', 'api', 'alerts'])[1 + n.user_id % 5],
         current_date - (n.user_id % 20)::int, 1 + n.user_id % 3
       FROM (${newUsers}) n`,
      [first, last],
    );
    await client.query(
      `INSERT INTO support_tickets (organization_id, subject, priority, status, created_at)
       SELECT n.organization_id, 'Bench ticket ' || n.user_id,
         (ARRAY['low', 'medium', 'high'])[1 + n.user_id % 3], 'open',
         now() - make_interval(days => (n.user_id % 25)::int)
       FROM (${newUsers}) n WHERE n.user_id % 14 = 0`,
      [first, last],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
  // The planner sees the grown tables, as autovacuum's ANALYZE would soon after.
  const analyze = new pg.Client({ connectionString: url });
  await analyze.connect();
  await analyze.query('ANALYZE');
  await analyze.end();
}
