import type pg from 'pg';

/** The embedded demo PostgreSQL's fixed credentials (src/demo/embedded-database.ts). */
export const demoDatabaseUrl = (port: number) =>
  `postgres://postgres:chom-demo@127.0.0.1:${port}/chom`;

const channels = ['organic', 'paid', 'referral', 'direct', 'social', 'email', 'content'];
const features = ['dashboards', 'reports', 'alerts'];
const pages = ['home', 'pricing', 'features', 'signup', 'enterprise', 'webinar'];

/** One second of product activity: analytics events and referral invitations. */
export async function addActivity(client: pg.Client): Promise<void> {
  const events: [string, Record<string, string>][] = [
    ...channels.map((channel): [string, Record<string, string>] => ['signed_up', { channel }]),
    ...Array.from({ length: 5 }, (): [string, Record<string, string>] => ['activated', {}]),
    ...Array.from({ length: 3 }, (): [string, Record<string, string>] => ['trial_started', {}]),
    ...Array.from({ length: 2 }, (): [string, Record<string, string>] => ['converted_to_paid', {}]),
    ...Array.from({ length: 10 }, (): [string, Record<string, string>] => ['logged_in', {}]),
    ...features.map((feature): [string, Record<string, string>] => ['feature_used', { feature }]),
    ...pages.flatMap((page): [string, Record<string, string>][] => [
      ['page_viewed', { page }],
      ['page_viewed', { page }],
      ['page_viewed', { page }],
      ['landing_page_converted', { page }],
    ]),
  ];
  await client.query(
    `INSERT INTO analytics_events (occurred_at, event_name, anonymous_id, properties)
     SELECT now(), e.name, 'dashboard-test', e.properties
     FROM jsonb_to_recordset($1::jsonb) AS e(name text, properties jsonb)`,
    [JSON.stringify(events.map(([name, properties]) => ({ name, properties })))],
  );
  await client.query(
    `INSERT INTO referrals (referrer_user_id, referred_email, referred_user_id, sent_at, completed_at)
     SELECT u.id, 'invitee-' || g || '@example.com', CASE WHEN g = 1 THEN u.id END, now(),
            CASE WHEN g = 1 THEN now() END
     FROM (SELECT min(id) AS id FROM users) u, generate_series(1, 2) g`,
  );
}
