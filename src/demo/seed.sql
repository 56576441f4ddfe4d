-- chom-exporter demo data set
-- ===========================
-- Fills an empty, freshly migrated reference schema (001_reference_schema.sql)
-- with a synthetic but plausible B2B SaaS history, so that every default
-- collector has something to report: ~300 organizations, ~3,000 users, their
-- product sessions and daily feature usage, an analytics event stream, support
-- tickets, NPS and CSAT surveys, daily marketing spend, referrals, email
-- campaigns and the landing pages.
--
-- How it is built:
--   * All dates are relative to now() / current_date, so the demo always looks
--     current. The history spans the last ~450 days (more than a year, so a
--     backfill of the last 400 days finds customers, spend, tickets and campaigns
--     already there on its first day, and 30-day comparisons have a base) and
--     grows over time: signups, sessions and page views get denser towards today.
--   * Users have hidden traits (will they activate, do they churn, how often do
--     they come back, do they start a trial). They live in temporary tables that
--     are dropped at the end; every other table is derived from them, so the
--     data is mutually consistent (sessions only while a user is around,
--     `signed_up` events at users.created_at, tickets and surveys during
--     sessions, ...).
--   * It is deterministic: setseed() fixes the random() sequence, and every
--     statement draws from it in a fixed row order (generate_series, or rows
--     explicitly sorted before random() is called). Only the timestamps move
--     with now(); row counts do not depend on the time of day the script runs
--     (in a UTC session), as day buckets are 24-hour windows ending at now().
--     A few metrics use exact quotas (ranked random keys) instead of coin
--     flips, so NPS, CSAT, landing-page and campaign rates hit their targets.
--   * Pure SQL, set-based (generate_series + random()), no procedural loops.
--     Run it in one transaction (the demo runner wraps it in BEGIN/COMMIT).

SELECT setseed(0.42);

-- ---------------------------------------------------------------------------
-- landing_pages: the six marketing pages the page_viewed events refer to.
-- ---------------------------------------------------------------------------
INSERT INTO landing_pages (slug, name, url_path) VALUES
  ('home',       'Home page',            '/'),
  ('pricing',    'Pricing',              '/pricing'),
  ('features',   'Feature tour',         '/features'),
  ('signup',     'Sign-up page',         '/signup'),
  ('enterprise', 'Enterprise',           '/enterprise'),
  ('webinar',    'Webinar registration', '/webinar');

-- ---------------------------------------------------------------------------
-- organizations: 300 customer accounts. Names are every pairing of 25 prefixes
-- and 12 industries (so they are unique); signup times lean towards the recent
-- past (growth); the oldest account is exactly 450 days old.
-- ---------------------------------------------------------------------------
WITH draws AS (
  SELECT i, random() AS r_age, random() AS r_channel, random() AS r_pay
  FROM generate_series(1, 300) AS i
), named AS (
  SELECT d.*,
    (ARRAY['Acme', 'Bluebird', 'Cedar', 'Delta', 'Ember', 'Falcon', 'Granite', 'Harbor',
           'Iris', 'Juniper', 'Kestrel', 'Lumen', 'Maple', 'Nimbus', 'Orbit', 'Pioneer',
           'Quartz', 'Riverbend', 'Summit', 'Tidal', 'Upland', 'Vertex', 'Willow',
           'Yellowstone', 'Zenith'])[1 + (i - 1) % 25]
    || ' ' ||
    (ARRAY['Analytics', 'Labs', 'Logistics', 'Health', 'Systems', 'Foods', 'Capital',
           'Robotics', 'Media', 'Studios', 'Energy', 'Retail'])[1 + (i - 1) / 25] AS name
  FROM draws d
)
INSERT INTO organizations (slug, name, acquisition_channel, payment_status, created_at)
SELECT lower(replace(name, ' ', '-')),
  name,
  CASE WHEN r_channel < 0.28 THEN 'organic'
       WHEN r_channel < 0.48 THEN 'paid'
       WHEN r_channel < 0.60 THEN 'referral'
       WHEN r_channel < 0.74 THEN 'direct'
       WHEN r_channel < 0.83 THEN 'social'
       WHEN r_channel < 0.90 THEN 'email'
       ELSE 'content' END,
  CASE WHEN r_pay < 0.87 THEN 'current'
       WHEN r_pay < 0.97 THEN 'past_due'
       ELSE 'delinquent' END,
  CASE WHEN i = 1 THEN now() - interval '450 days'
       ELSE now() - interval '449 days' * power(r_age, 1.2) END AS created_at
FROM named
ORDER BY created_at, name;

-- ---------------------------------------------------------------------------
-- seed_people (temporary): the 3,000 users and their hidden traits.
--   * 300 founders sign up with their organization; 2,700 teammates join a
--     random organization that already existed when they signed up.
--   * ~2/3 will activate (10 minutes to 6 days after signup) and most of those
--     reach first value (0.2 to 10 days after signup).
--   * Users who never activate drift away within two weeks; 30% of activated
--     users churn after a few months; the rest are still around.
--   * sessions_per_day is how often a user comes back while around: 0.06 to 1.8
--     (log-uniform) for activated users, so about 600 users are active on a day,
--     above the 500 daily-active-users alert floor (seed 003).
--   * ~45% start a trial (mostly activated users), ~30% of those convert.
--   * Timestamps that would lie in the future are left NULL (not happened yet).
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE seed_people AS
WITH orgs AS (
  SELECT id, slug, acquisition_channel, created_at,
         row_number() OVER (ORDER BY created_at, id) AS rn
  FROM organizations
), invited_draws AS (
  SELECT i, now() - interval '449 days' * power(random(), 1.35) AS created_at,
         random() AS r_org, random() AS r_own, random() AS r_channel
  FROM generate_series(1, 2700) AS i
), invited AS (
  SELECT d.*, (SELECT count(*) FROM orgs o WHERE o.created_at < d.created_at) AS n_orgs
  FROM invited_draws d
), members AS (
  SELECT o.id AS organization_id, o.slug, o.acquisition_channel AS signup_channel,
         o.created_at, true AS founder, o.rn AS ord
  FROM orgs o
  UNION ALL
  SELECT o.id, o.slug,
    CASE WHEN i.r_own < 0.40 THEN o.acquisition_channel
         WHEN i.r_channel < 0.36 THEN 'direct'
         WHEN i.r_channel < 0.56 THEN 'referral'
         WHEN i.r_channel < 0.72 THEN 'organic'
         WHEN i.r_channel < 0.82 THEN 'email'
         WHEN i.r_channel < 0.90 THEN 'paid'
         WHEN i.r_channel < 0.95 THEN 'social'
         ELSE 'content' END,
    i.created_at, false, 1000 + i.i
  FROM invited i
  JOIN orgs o ON o.rn = 1 + floor(i.r_org * greatest(i.n_orgs, 1))::int
), draws AS (
  SELECT m.*,
    random() AS r_first, random() AS r_last,
    random() AS r_act, random() AS r_act_delay,
    random() AS r_fv, random() AS r_fv_delay,
    random() AS r_churn, random() AS r_life, random() AS r_rate,
    random() AS r_trial, random() AS r_trial_delay, random() AS r_paid, random() AS r_paid_delay,
    random() AS r_del, random() AS r_del_delay
  FROM (SELECT * FROM members ORDER BY ord) m
), raw AS (
  SELECT d.*,
    r_act < 0.67 AS will_activate,
    CASE WHEN r_act < 0.67
         THEN created_at + interval '10 minutes' + interval '6 days' * power(r_act_delay, 2.2) END
      AS act_raw
  FROM draws d
), lived AS (
  SELECT r.*,
    CASE WHEN r.will_activate AND r.r_fv < 0.85
         THEN greatest(created_at + interval '0.2 days' + interval '9.8 days' * power(r_fv_delay, 1.8),
                       act_raw + interval '20 minutes') END AS fv_raw,
    least(now(),
      CASE WHEN NOT r.will_activate
             THEN created_at + interval '14 days' * power(r_life, 2)
           WHEN r_churn < 0.30
             THEN act_raw + interval '80 days' * (-ln(1 - r_life))
           ELSE now() END) AS active_until,
    CASE WHEN r.will_activate THEN exp(ln(0.06) + r_rate * ln(30.0)) ELSE 0.4 END AS sessions_per_day,
    CASE WHEN r_trial < CASE WHEN r.will_activate THEN 0.66 ELSE 0.12 END
         THEN coalesce(act_raw, created_at) + interval '1 hour' + interval '9 days' * power(r_trial_delay, 1.5)
      END AS trial_raw
  FROM raw r
), named AS (
  SELECT l.*,
    lower((ARRAY['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Sofia', 'Mateo',
                 'Amara', 'Kenji', 'Priya', 'Omar', 'Lena', 'Jonas', 'Chloe', 'Diego', 'Hana', 'Ravi',
                 'Zoe', 'Felix', 'Nora', 'Samuel', 'Ingrid', 'Tariq', 'Maya', 'Leo', 'Aisha', 'Hugo',
                 'Elena', 'Kofi', 'Yuki', 'Marta', 'Ivan', 'Grace', 'Pablo', 'Sara', 'Malik', 'Julia']
          )[1 + floor(r_first * 40)::int]) AS first_name,
    lower((ARRAY['Smith', 'Garcia', 'Chen', 'Müller', 'Okafor', 'Rossi', 'Kowalski', 'Tanaka',
                 'Silva', 'Nguyen', 'Johansson', 'Patel', 'Dubois', 'Haddad', 'Novak', 'Kim',
                 'Moreau', 'Schmidt', 'Costa', 'Ivanova', 'Brown', 'Lopez', 'Sato', 'Andersen',
                 'Fischer', 'Mensah', 'Rahman', 'Larsen', 'Ortiz', 'Weber', 'Singh', 'Martin',
                 'Bianchi', 'Yilmaz', 'Hughes', 'Kaur', 'Reyes', 'Virtanen', 'Adeyemi', 'Walsh']
          )[1 + floor(r_last * 40)::int]) AS last_name
  FROM lived l
), emailed AS (
  SELECT n.*,
    row_number() OVER (PARTITION BY slug, first_name, last_name ORDER BY created_at, ord) AS dup
  FROM named n
)
SELECT
  NULL::bigint AS user_id,
  translate(first_name || '.' || last_name, 'ü', 'u')
    || CASE WHEN dup > 1 THEN dup::text ELSE '' END
    || '@' || slug || '.example' AS email,
  organization_id,
  signup_channel,
  founder,
  created_at,
  CASE WHEN act_raw <= now() THEN act_raw END AS activated_at,
  CASE WHEN fv_raw <= now() THEN fv_raw END AS first_value_at,
  -- a few long-gone users were deleted weeks after their last session
  CASE WHEN active_until < now() - interval '30 days' AND r_del < 0.07
        AND active_until + interval '5 days' + interval '40 days' * r_del_delay <= now()
       THEN active_until + interval '5 days' + interval '40 days' * r_del_delay END AS deleted_at,
  active_until,
  sessions_per_day,
  CASE WHEN trial_raw <= active_until THEN trial_raw END AS trial_at,
  CASE WHEN trial_raw <= active_until AND r_paid < 0.31
        AND trial_raw + interval '2 days' + interval '12 days' * r_paid_delay <= now()
       THEN trial_raw + interval '2 days' + interval '12 days' * r_paid_delay END AS paid_at
FROM emailed
ORDER BY ord;

-- ---------------------------------------------------------------------------
-- users: inserted in signup order, so ids follow time.
-- ---------------------------------------------------------------------------
INSERT INTO users (organization_id, email, signup_channel, created_at, activated_at, first_value_at, deleted_at)
SELECT organization_id, email, signup_channel, created_at, activated_at, first_value_at, deleted_at
FROM seed_people
ORDER BY created_at, email;

UPDATE seed_people p SET user_id = u.id FROM users u WHERE u.email = p.email;

-- ---------------------------------------------------------------------------
-- user_sessions: one session at signup, then sessions_per_day x days around
-- (+-30%), spread over the user's lifetime and leaning a little towards its end
-- (engagement deepens). Sessions last 5-60 minutes; one still running now has
-- no ended_at.
-- ---------------------------------------------------------------------------
WITH plan AS (
  SELECT user_id, organization_id, created_at, active_until,
    round(sessions_per_day * extract(epoch FROM active_until - created_at) / 86400
          * (0.7 + 0.6 * random()))::int AS extra
  FROM (SELECT * FROM seed_people ORDER BY user_id) p
), starts AS (
  SELECT user_id, organization_id, created_at AS started_at FROM plan
  UNION ALL
  SELECT p.user_id, p.organization_id,
         p.created_at + (p.active_until - p.created_at) * power(random(), 0.8)
  FROM plan p
  CROSS JOIN LATERAL generate_series(1, p.extra) AS g
), shaped AS (
  SELECT s.*, 5 + 55 * power(random(), 1.6) AS minutes, random() AS r_pace
  FROM starts s
)
INSERT INTO user_sessions (user_id, organization_id, started_at, ended_at, action_count)
SELECT user_id, organization_id, started_at,
  CASE WHEN started_at + interval '1 minute' * minutes <= now()
       THEN started_at + interval '1 minute' * minutes END,
  greatest(1, least(80, round(minutes * (0.25 + 1.3 * r_pace))))::int
FROM shaped
ORDER BY started_at, user_id;

-- ---------------------------------------------------------------------------
-- seed_feature_hits (temporary): which features a user touched in a session.
-- Each user adopts a subset of the eight features (dashboards nearly everyone,
-- automation rarely; non-activated users adopt less) and uses an adopted
-- feature in some of their sessions.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE seed_feature_hits AS
WITH features (feature, adoption, use_per_session, ord) AS (
  VALUES ('dashboards',   0.88, 0.60, 1),
         ('reports',      0.62, 0.40, 2),
         ('alerts',       0.45, 0.30, 3),
         ('exports',      0.40, 0.25, 4),
         ('integrations', 0.30, 0.20, 5),
         ('team_invites', 0.28, 0.10, 6),
         ('api',          0.14, 0.35, 7),
         ('automation',   0.07, 0.30, 8)
), pairs AS (
  SELECT p.user_id, f.feature, f.use_per_session,
         f.adoption * CASE WHEN p.activated_at IS NOT NULL THEN 1.0 ELSE 0.35 END AS adoption
  FROM seed_people p
  CROSS JOIN features f
  ORDER BY p.user_id, f.ord
), adoption AS (
  SELECT user_id, feature, use_per_session FROM pairs WHERE random() < adoption
), candidates AS (
  SELECT s.user_id, s.organization_id, s.started_at, s.ended_at, s.action_count,
         a.feature, a.use_per_session
  FROM user_sessions s
  JOIN adoption a ON a.user_id = s.user_id
  ORDER BY s.id, a.feature
)
SELECT user_id, organization_id, feature,
  started_at + (least(coalesce(ended_at, now()), now()) - started_at) * random() AS used_at,
  1 + floor(random() * least(12, action_count / 3.0))::int AS uses
FROM candidates
WHERE random() < use_per_session;

-- ---------------------------------------------------------------------------
-- feature_usage: the daily roll-up of those hits (one row per user, feature
-- and day; a "day" is a 24-hour window counted back from now()).
-- ---------------------------------------------------------------------------
INSERT INTO feature_usage (organization_id, user_id, feature, usage_date, use_count)
SELECT min(organization_id), user_id, feature,
  current_date - floor(extract(epoch FROM now() - used_at) / 86400)::int AS usage_date,
  sum(uses)
FROM seed_feature_hits
GROUP BY user_id, feature, usage_date
ORDER BY usage_date, user_id, feature;

-- ---------------------------------------------------------------------------
-- analytics_events: the Segment-like stream, consistent with the tables above.
--   signed_up {channel}            one per user at users.created_at
--   activated / trial_started / converted_to_paid   from the user's traits
--   logged_in                      for ~80% of sessions (the bulk)
--   feature_used {feature}         ~35% of the feature hits
--   page_viewed {page}             9,000 anonymous landing-page visits
--   landing_page_converted {page}  3-12% of the visits, depending on the page
-- Inserted in time order, so ids follow occurred_at.
-- ---------------------------------------------------------------------------
WITH visit_draws AS (
  SELECT i, now() - interval '450 days' * power(random(), 1.25) AS viewed_at,
         random() AS r_page, random() AS r_convert, random() AS r_delay
  FROM generate_series(1, 9000) AS i
), paged AS (
  SELECT v.*, 'anon-' || substr(md5('visit-' || i), 1, 16) AS anonymous_id, p.page, p.conversion_rate
  FROM visit_draws v
  JOIN LATERAL (
    SELECT * FROM (VALUES
      ('home',       0.00, 0.040),
      ('pricing',    0.38, 0.085),
      ('features',   0.56, 0.050),
      ('signup',     0.71, 0.120),
      ('enterprise', 0.83, 0.045),
      ('webinar',    0.90, 0.100)) AS t (page, from_r, conversion_rate)
    WHERE t.from_r <= v.r_page
    ORDER BY t.from_r DESC
    LIMIT 1
  ) p ON true
), visits AS (
  -- the visits with the lowest r_convert of each page convert, at its exact rate
  SELECT v.*,
    row_number() OVER (PARTITION BY page ORDER BY r_convert, i)
      <= round(conversion_rate * count(*) OVER (PARTITION BY page)) AS converts
  FROM paged v
), stream (occurred_at, stage, event_name, user_id, organization_id, anonymous_id, properties) AS (
  -- stage only breaks ties (a signup comes before the login of the same instant)
  SELECT created_at, 1, 'signed_up', user_id, organization_id, NULL::text,
         jsonb_build_object('channel', signup_channel)
  FROM seed_people
  UNION ALL
  SELECT activated_at, 2, 'activated', user_id, organization_id, NULL, '{}'::jsonb
  FROM seed_people WHERE activated_at IS NOT NULL
  UNION ALL
  SELECT trial_at, 3, 'trial_started', user_id, organization_id, NULL, '{}'::jsonb
  FROM seed_people WHERE trial_at IS NOT NULL
  UNION ALL
  SELECT paid_at, 4, 'converted_to_paid', user_id, organization_id, NULL, '{}'::jsonb
  FROM seed_people WHERE paid_at IS NOT NULL
  UNION ALL
  SELECT started_at, 5, 'logged_in', user_id, organization_id, NULL, '{}'::jsonb
  FROM (SELECT * FROM user_sessions ORDER BY id) s WHERE random() < 0.80
  UNION ALL
  SELECT used_at, 6, 'feature_used', user_id, organization_id, NULL,
         jsonb_build_object('feature', feature)
  FROM seed_feature_hits WHERE random() < 0.35
  UNION ALL
  SELECT viewed_at, 7, 'page_viewed', NULL, NULL, anonymous_id, jsonb_build_object('page', page)
  FROM visits
  UNION ALL
  SELECT viewed_at + interval '1 minute' + interval '20 minutes' * r_delay, 8, 'landing_page_converted',
         NULL, NULL, anonymous_id, jsonb_build_object('page', page)
  FROM visits
  WHERE converts
    AND viewed_at + interval '1 minute' + interval '20 minutes' * r_delay <= now()
)
INSERT INTO analytics_events (occurred_at, received_at, event_name, user_id, organization_id, anonymous_id, properties)
SELECT occurred_at, occurred_at, event_name, user_id, organization_id, anonymous_id, properties
FROM stream
ORDER BY occurred_at, stage, user_id, anonymous_id;

-- ---------------------------------------------------------------------------
-- support_tickets: ~600 tickets opened during sessions (so busy accounts file
-- more), plus 16 recent ones that guarantee every status x priority pair and
-- recent resolutions for every priority, plus a resolved critical incident
-- every 20 days over the whole history (critical tickets are rare: without
-- them, a month could have none to measure). A healthy support team: first
-- response within the hour for every priority (critical 5-25 min, high 10-50,
-- medium 15-75, low 20-90), resolution within the SLAs on average (critical
-- 0.5-2.5 h, high 3-9 h, medium 8-28 h, low 30-90 h). A ticket is resolved once
-- that time has passed, except a small stuck backlog.
-- ---------------------------------------------------------------------------
WITH sampled AS (
  SELECT s.organization_id,
    least(now(), s.started_at + interval '10 minutes' * random()) AS created_at,
    random() AS r_priority, random() AS r_subject, random() AS r_resolve,
    random() AS r_respond, random() AS r_stuck
  FROM (SELECT * FROM user_sessions ORDER BY id) s
  WHERE random() < 590.0 / (SELECT count(*) FROM user_sessions)
), prioritized AS (
  SELECT s.*,
    CASE WHEN r_priority < 0.06 THEN 'critical'
         WHEN r_priority < 0.25 THEN 'high'
         WHEN r_priority < 0.70 THEN 'medium'
         ELSE 'low' END AS priority
  FROM sampled s
), timed AS (
  SELECT p.*,
    interval '1 hour' * CASE priority WHEN 'critical' THEN 0.5 + 2 * r_resolve
                                      WHEN 'high'     THEN 3 + 6 * r_resolve
                                      WHEN 'medium'   THEN 8 + 20 * r_resolve
                                      ELSE 30 + 60 * r_resolve END AS to_resolve,
    interval '1 minute' * CASE priority WHEN 'critical' THEN 5 + 20 * r_respond
                                        WHEN 'high'     THEN 10 + 40 * r_respond
                                        WHEN 'medium'   THEN 15 + 60 * r_respond
                                        ELSE 20 + 70 * r_respond END AS to_respond
  FROM prioritized p
), historical AS (
  SELECT organization_id, r_subject, priority, created_at,
    created_at + to_respond AS respond_at,
    created_at + to_resolve AS resolve_at,
    r_stuck < 0.02 AS stuck
  FROM timed
), guaranteed (priority, status, age, to_respond, to_resolve, org_pick, r_subject) AS (
  VALUES
    ('critical', 'open',        interval '25 minutes', NULL::interval,         NULL::interval,      0.11, 0.05),
    ('critical', 'in_progress', interval '50 minutes', interval '12 minutes',  NULL,                0.23, 0.30),
    ('critical', 'resolved',    interval '3 days',     interval '15 minutes',  interval '100 minutes', 0.37, 0.55),
    ('critical', 'resolved',    interval '17 days',    interval '9 minutes',   interval '90 minutes', 0.48, 0.80),
    ('high',     'open',        interval '20 minutes', NULL,                   NULL,                0.52, 0.15),
    ('high',     'in_progress', interval '5 hours',    interval '40 minutes',  NULL,                0.64, 0.40),
    ('high',     'resolved',    interval '6 days',     interval '1 hour',      interval '7 hours',  0.71, 0.65),
    ('high',     'resolved',    interval '22 days',    interval '35 minutes',  interval '5 hours',  0.79, 0.90),
    ('medium',   'open',        interval '35 minutes', NULL,                   NULL,                0.83, 0.20),
    ('medium',   'in_progress', interval '20 hours',   interval '40 minutes',  NULL,                0.86, 0.45),
    ('medium',   'resolved',    interval '9 days',     interval '25 minutes',  interval '20 hours', 0.90, 0.70),
    ('medium',   'resolved',    interval '26 days',    interval '50 minutes',  interval '22 hours', 0.93, 0.95),
    ('low',      'open',        interval '50 minutes', NULL,                   NULL,                0.95, 0.25),
    ('low',      'in_progress', interval '3 days',     interval '45 minutes',  NULL,                0.97, 0.50),
    ('low',      'resolved',    interval '12 days',    interval '30 minutes',  interval '60 hours', 0.98, 0.75),
    ('low',      'resolved',    interval '25 days',    interval '55 minutes',  interval '65 hours', 0.99, 0.85)
), guaranteed_rows AS (
  SELECT o.id AS organization_id, g.r_subject, g.priority, now() - g.age AS created_at,
    now() - g.age + g.to_respond AS respond_at,
    coalesce(now() - g.age + g.to_resolve, now() + interval '1 year') AS resolve_at,
    g.status <> 'resolved' AS stuck
  FROM guaranteed g
  JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn, count(*) OVER () AS n
        FROM organizations WHERE created_at < now() - interval '30 days') o
    ON o.rn = 1 + floor(g.org_pick * o.n)::int
), incidents AS (
  -- one critical incident every 20 days back to 440 days, at an account that existed a week
  -- before (picked by a hash of its id, so deterministic), answered and resolved quickly
  SELECT k, now() - interval '20 days' * k + interval '1 hour' * (k % 9) AS created_at
  FROM generate_series(1, 22) AS k
), incident_rows AS (
  SELECT o.id AS organization_id, (k % 16 + 0.5) / 16.0 AS r_subject, 'critical' AS priority,
    i.created_at,
    i.created_at + interval '1 minute' * (8 + 3 * (k % 5)) AS respond_at,
    i.created_at + interval '1 minute' * (50 + 7 * (k % 9)) AS resolve_at,
    false AS stuck
  FROM incidents i
  CROSS JOIN LATERAL (
    SELECT id FROM organizations WHERE created_at < i.created_at - interval '7 days'
    ORDER BY md5(id || '-' || i.k), id LIMIT 1
  ) o
), all_tickets AS (
  SELECT * FROM historical
  UNION ALL
  SELECT * FROM guaranteed_rows
  UNION ALL
  SELECT * FROM incident_rows
)
INSERT INTO support_tickets (organization_id, subject, status, priority, created_at, first_response_at, resolved_at)
SELECT organization_id,
  (ARRAY['Cannot export report to CSV', 'SSO login fails for some users', 'Question about our invoice',
         'Dashboard loads slowly', 'Webhook deliveries are delayed', 'How do I invite my team?',
         'API returns 429 too often', 'Alert e-mails not arriving', 'Integration with CRM stopped syncing',
         'Request: dark mode', 'Billing address change', 'Data missing after import',
         'Automation rule does not trigger', 'Permission error on shared report',
         'Upgrade to annual plan', 'Two-factor reset needed'])[1 + floor(r_subject * 16)::int],
  CASE WHEN NOT stuck AND resolve_at <= now() THEN 'resolved'
       WHEN respond_at <= now() THEN 'in_progress'
       ELSE 'open' END,
  priority,
  created_at,
  CASE WHEN respond_at <= now() THEN respond_at END,
  CASE WHEN NOT stuck AND resolve_at <= now() THEN resolve_at END
FROM all_tickets
ORDER BY created_at, organization_id;

-- ---------------------------------------------------------------------------
-- nps_responses: ~500 answers to the in-app survey, shown during sessions of
-- users past their first week. Mix: 16% detractors (mostly 5-6), 29%
-- passives, 55% promoters, i.e. an NPS of +39. Some leave a comment.
-- ---------------------------------------------------------------------------
WITH eligible AS (
  SELECT s.* FROM user_sessions s
  JOIN users u ON u.id = s.user_id
  WHERE s.started_at >= u.created_at + interval '7 days'
  ORDER BY s.id
), sampled AS (
  SELECT e.user_id, e.organization_id,
    least(now(), e.started_at + interval '2 minutes' + interval '20 minutes' * random()) AS responded_at,
    random() AS r_kind, random() AS r_score, random() AS r_comment
  FROM eligible e
  WHERE random() < 500.0 / (SELECT count(*) FROM eligible)
), quantiled AS (
  -- respondents ranked by a random key: exact category quotas, random members
  SELECT s.*, (row_number() OVER (ORDER BY r_kind, responded_at) - 0.5) / count(*) OVER () AS q
  FROM sampled s
), scored AS (
  SELECT s.*,
    CASE WHEN q < 0.16 THEN 6 - floor(7 * power(r_score, 2.5))::int
         WHEN q < 0.45 THEN 7 + floor(2 * r_score)::int
         ELSE 9 + floor(2 * power(r_score, 0.8))::int END AS score
  FROM quantiled s
)
INSERT INTO nps_responses (organization_id, user_id, score, comment, responded_at)
SELECT organization_id, user_id, score,
  CASE WHEN r_comment < 0.35 THEN
    CASE WHEN score >= 9 THEN (ARRAY['Saves our team hours every week.', 'Dashboards are fantastic.',
                                     'Great support and fast releases.'])[1 + floor(r_comment * 8.5)::int]
         WHEN score >= 7 THEN (ARRAY['Solid, but reports could be more flexible.', 'Good product, pricey for small teams.',
                                     'Would love more integrations.'])[1 + floor(r_comment * 8.5)::int]
         ELSE (ARRAY['Too slow with large data sets.', 'Onboarding was confusing.',
                     'Missing features we need.'])[1 + floor(r_comment * 8.5)::int] END
  END,
  responded_at
FROM scored
ORDER BY responded_at, user_id;

-- ---------------------------------------------------------------------------
-- csat_responses: ~400 ratings (1-5, mean ~4.2). About 40% of resolved tickets
-- get a rating from a member of the account after resolution; the rest are
-- onboarding (first two weeks), release and billing surveys shown in sessions.
-- ---------------------------------------------------------------------------
WITH members AS (
  SELECT id, organization_id, created_at,
         row_number() OVER (PARTITION BY organization_id ORDER BY created_at, id) AS rn
  FROM users
), rated_tickets AS (
  SELECT t.id AS ticket_id, t.organization_id, t.created_at,
    t.resolved_at + interval '30 minutes' + interval '47 hours' * power(random(), 2) AS responded_at,
    random() AS r_member, random() AS r_score
  FROM (SELECT * FROM support_tickets ORDER BY id) t
  WHERE t.resolved_at IS NOT NULL AND random() < 0.40
), ticket_ratings AS (
  SELECT r.*, (SELECT count(*) FROM members m
               WHERE m.organization_id = r.organization_id AND m.created_at <= r.created_at) AS n_members
  FROM rated_tickets r
  WHERE r.responded_at <= now()
), in_app AS (
  SELECT s.user_id, s.organization_id, s.started_at,
    least(now(), s.started_at + interval '1 minute' + interval '15 minutes' * random()) AS responded_at,
    random() AS r_touchpoint, random() AS r_score
  FROM (SELECT * FROM user_sessions ORDER BY id) s
  WHERE random() < 190.0 / (SELECT count(*) FROM user_sessions)
), ratings AS (
  SELECT tr.organization_id, m.id AS user_id, tr.ticket_id, 'support' AS touchpoint,
         tr.responded_at, tr.r_score
  FROM ticket_ratings tr
  JOIN members m ON m.organization_id = tr.organization_id
                AND m.rn = 1 + floor(tr.r_member * greatest(tr.n_members, 1))::int
  UNION ALL
  SELECT a.organization_id, a.user_id, NULL::bigint,
    CASE WHEN a.started_at < u.created_at + interval '14 days' THEN 'onboarding'
         WHEN a.r_touchpoint < 0.60 THEN 'release'
         ELSE 'billing' END,
    a.responded_at, a.r_score
  FROM in_app a
  JOIN users u ON u.id = a.user_id
), quantiled AS (
  -- ratings ranked by a random key: exact score quotas (mean 4.2), random raters
  SELECT r.*, (row_number() OVER (ORDER BY r_score, responded_at) - 0.5) / count(*) OVER () AS q
  FROM ratings r
)
INSERT INTO csat_responses (organization_id, user_id, ticket_id, touchpoint, score, responded_at)
SELECT organization_id, user_id, ticket_id, touchpoint,
  CASE WHEN q < 0.03 THEN 1
       WHEN q < 0.08 THEN 2
       WHEN q < 0.19 THEN 3
       WHEN q < 0.50 THEN 4
       ELSE 5 END,
  responded_at
FROM quantiled
ORDER BY responded_at, user_id;

-- ---------------------------------------------------------------------------
-- marketing_spend: one USD row per paid channel (paid, social, email, content)
-- per day for the last 450 days, today included. Budgets grow over the year,
-- dip at weekends and carry +-15% noise. They are sized for the demo's plans
-- ($29 to $99 a month) and its ~15 to 30 new customers a month: about $20 a day
-- keeps CAC near seed 000's $30 target, under seed 004's $60 flag. Organic, direct and referral traffic
-- costs nothing and has no rows.
-- ---------------------------------------------------------------------------
WITH budgets (channel, start_daily, end_daily, weekend_factor, campaign, ord) AS (
  VALUES ('paid',      5.00,   13.00, 0.55, 'search-always-on',      1),
         ('social',    1.50,    4.50, 0.80, 'linkedin-sponsored',    2),
         ('email',     0.40,    1.00, 0.30, 'newsletter-platform',   3),
         ('content',   1.20,    2.80, 0.70, 'sponsored-articles',    4)
), channel_days AS (
  SELECT b.*, d, current_date - d AS spend_date
  FROM generate_series(449, 0, -1) AS d
  CROSS JOIN budgets b
  ORDER BY d DESC, b.ord
)
INSERT INTO marketing_spend (channel, spend_date, amount, currency, campaign)
SELECT channel, spend_date,
  round((start_daily + (end_daily - start_daily) * (449 - d) / 449.0)
        * CASE WHEN extract(isodow FROM spend_date) >= 6 THEN weekend_factor ELSE 1 END
        * (0.85 + 0.30 * random())::numeric, 2),
  'USD', campaign
FROM channel_days;

-- ---------------------------------------------------------------------------
-- referrals: ~800 invitations, ~35% completed.
--   * Completed: about 40% of the users who signed up through the 'referral'
--     channel were invited (1 hour to 10 days before signing up) by someone who
--     was already a user; completed_at is their signup, referred_user_id them.
--   * Pending: invitations sent during sessions; a few of them were accepted
--     under another address (completed, no referred_user_id).
-- ---------------------------------------------------------------------------
WITH ranked AS (
  SELECT id, created_at, row_number() OVER (ORDER BY created_at, id) AS rn FROM users
), referred AS (
  SELECT u.id, u.email, u.created_at,
    u.created_at - interval '1 hour' - interval '10 days' * power(random(), 2) AS sent_at,
    random() AS r_referrer
  FROM (SELECT * FROM users ORDER BY id) u
  WHERE u.signup_channel = 'referral' AND random() < 0.42
), referred_with_pool AS (
  SELECT r.*, (SELECT count(*) FROM ranked k WHERE k.created_at < r.sent_at) AS n_before
  FROM referred r
), completed AS (
  SELECT k.id AS referrer_user_id, r.email AS referred_email, r.id AS referred_user_id,
         r.sent_at, r.created_at AS completed_at
  FROM referred_with_pool r
  JOIN ranked k ON k.rn = 1 + floor(r.r_referrer * r.n_before)::int
  WHERE r.n_before > 0
), invitations AS (
  SELECT s.user_id,
    least(now(), s.started_at + interval '5 minutes' * random()) AS sent_at,
    random() AS r_first, random() AS r_last, random() AS r_domain, random() AS r_accept, random() AS r_delay
  FROM (SELECT * FROM user_sessions ORDER BY id) s
  WHERE random() < 560.0 / (SELECT count(*) FROM user_sessions)
), pending AS (
  SELECT user_id,
    lower((ARRAY['alex', 'sam', 'jordan', 'taylor', 'morgan', 'casey', 'riley', 'jamie', 'robin', 'kai'])[1 + floor(r_first * 10)::int])
      || '.' ||
    lower((ARRAY['berg', 'costa', 'duarte', 'evans', 'frost', 'hale', 'ito', 'lund', 'park', 'vega'])[1 + floor(r_last * 10)::int])
      || '@' ||
    (ARRAY['northwind', 'globex', 'initech', 'umbrella-labs', 'hooli', 'stark-industries',
           'wayne-logistics', 'soylent', 'cyberdyne', 'gringotts'])[1 + floor(r_domain * 10)::int]
      || '.example' AS referred_email,
    sent_at,
    CASE WHEN r_accept < 0.08 AND sent_at + interval '1 hour' + interval '7 days' * r_delay <= now()
         THEN sent_at + interval '1 hour' + interval '7 days' * r_delay END AS completed_at
  FROM invitations
)
INSERT INTO referrals (referrer_user_id, referred_email, referred_user_id, sent_at, completed_at)
SELECT referrer_user_id, referred_email, referred_user_id, sent_at, completed_at FROM completed
UNION ALL
SELECT user_id, referred_email, NULL, sent_at, completed_at FROM pending
ORDER BY sent_at, referred_email;

-- ---------------------------------------------------------------------------
-- email_campaigns: fourteen campaigns, about one a month over the last ~420
-- days (so the campaign panels have a recent campaign at any instant of the year).
-- email_campaign_deliveries: each goes to a random set of users who existed
-- (and were not deleted) at send time; opens, clicks and conversions follow the
-- campaign's rates, each stage a subset of the previous one.
-- seed_campaign_plan (temporary) holds each campaign's audience and rates.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE seed_campaign_plan (slug, name, days_ago, audience, open_rate, click_rate, convert_rate) AS
VALUES ('early-access',         'Thank you, early adopters',     421,  150, 0.38, 0.090, 0.030),
       ('getting-started',      'Getting started guide',         389,  200, 0.34, 0.080, 0.028),
       ('product-newsletter',   'Product newsletter',            356,  240, 0.29, 0.060, 0.020),
       ('security-update',      'Security and SSO update',       324,  280, 0.33, 0.050, 0.012),
       ('welcome-series',       'Welcome series',                292,  300, 0.31, 0.070, 0.025),
       ('onboarding-tips',      'Onboarding tips',               258,  420, 0.30, 0.065, 0.022),
       ('spring-launch',        'Spring product launch',         225,  600, 0.27, 0.060, 0.020),
       ('customer-stories',     'Customer stories',              193,  700, 0.23, 0.040, 0.014),
       ('automation-spotlight', 'Feature spotlight: automation', 160,  850, 0.29, 0.070, 0.022),
       ('pricing-update',       'Pricing update',                128, 1000, 0.32, 0.050, 0.015),
       ('webinar-invite',       'Webinar invitation',             96, 1150, 0.25, 0.055, 0.018),
       ('summer-release',       'Summer release notes',           64, 1300, 0.26, 0.048, 0.016),
       ('reactivation-nudge',   'We miss you',                    33, 1400, 0.22, 0.042, 0.014),
       ('integrations-roundup', 'Integrations roundup',            9, 1500, 0.28, 0.062, 0.022);

INSERT INTO email_campaigns (slug, name, sent_at)
SELECT slug, name, now() - interval '1 day' * days_ago + interval '1 hour' * (days_ago % 7)
FROM seed_campaign_plan
ORDER BY days_ago DESC;

WITH eligible AS (
  SELECT c.id AS campaign_id, c.sent_at, r.audience, r.open_rate, r.click_rate, r.convert_rate,
         u.id AS user_id
  FROM email_campaigns c
  JOIN seed_campaign_plan r USING (slug)
  JOIN users u
    ON u.created_at < c.sent_at - interval '1 day'
   AND (u.deleted_at IS NULL OR u.deleted_at > c.sent_at)
), audience AS (
  SELECT e.*, random() AS r_pick
  FROM (SELECT * FROM eligible ORDER BY campaign_id, user_id) e
), picked AS (
  SELECT a.*, row_number() OVER (PARTITION BY campaign_id ORDER BY r_pick, user_id) AS pick
  FROM audience a
), funnel AS (
  SELECT p.campaign_id, p.user_id,
    p.sent_at + interval '20 minutes' * random() AS delivered_at,
    random() AS r_engagement,
    interval '5 minutes' + interval '48 hours' * power(random(), 3) AS to_open,
    interval '10 seconds' + interval '30 minutes' * random() AS to_click,
    interval '1 minute' + interval '3 days' * random() AS to_convert,
    p.open_rate, p.click_rate, p.convert_rate
  FROM (SELECT * FROM picked WHERE pick <= audience ORDER BY campaign_id, user_id) p
), ranked AS (
  -- recipients ranked by engagement: the top open_rate share opens, the top
  -- click_rate share clicks, ... so the stages nest and the rates are exact
  SELECT f.*,
    row_number() OVER (PARTITION BY campaign_id ORDER BY r_engagement, user_id) AS engagement_rank,
    count(*) OVER (PARTITION BY campaign_id) AS sent
  FROM funnel f
), staged AS (
  SELECT r.*,
    engagement_rank <= round(open_rate * sent)    AS opened,
    engagement_rank <= round(click_rate * sent)   AS clicked,
    engagement_rank <= round(convert_rate * sent) AS converted
  FROM ranked r
)
INSERT INTO email_campaign_deliveries (campaign_id, user_id, sent_at, opened_at, clicked_at, converted_at)
SELECT campaign_id, user_id, delivered_at,
  CASE WHEN opened    THEN delivered_at + to_open END,
  CASE WHEN clicked   THEN delivered_at + to_open + to_click END,
  CASE WHEN converted THEN delivered_at + to_open + to_click + to_convert END
FROM staged
ORDER BY campaign_id, user_id;

-- ---------------------------------------------------------------------------
-- Clean up the scaffolding and refresh planner statistics.
-- ---------------------------------------------------------------------------
DROP TABLE seed_campaign_plan;
DROP TABLE seed_feature_hits;
DROP TABLE seed_people;

ANALYZE;
