-- chom-exporter reference schema: the tables a typical B2B SaaS app keeps, and the
-- ones the default query pack reads. Every default query can be overridden in
-- config, so a company whose schema differs maps its own tables instead.
-- All timestamps are timestamptz (UTC on the wire); money is numeric, never float.

CREATE TABLE IF NOT EXISTS organizations (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug                text NOT NULL UNIQUE,
  name                text NOT NULL,
  acquisition_channel text NOT NULL DEFAULT 'direct',
  -- Mirrors the billing provider's view of the account; feeds the health score.
  payment_status      text NOT NULL DEFAULT 'current'
                      CHECK (payment_status IN ('current', 'past_due', 'delinquent')),
  created_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz
);

CREATE TABLE IF NOT EXISTS users (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id bigint NOT NULL REFERENCES organizations (id),
  email           text NOT NULL UNIQUE,
  signup_channel  text NOT NULL DEFAULT 'direct',
  created_at      timestamptz NOT NULL DEFAULT now(),  -- the signup moment
  activated_at    timestamptz,                         -- finished onboarding ("aha")
  first_value_at  timestamptz,                         -- first success milestone
  deleted_at      timestamptz
);
CREATE INDEX IF NOT EXISTS users_created_at_idx ON users (created_at);
CREATE INDEX IF NOT EXISTS users_organization_id_idx ON users (organization_id);

-- One row per product session; active users, engagement and cohorts read it.
CREATE TABLE IF NOT EXISTS user_sessions (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id         bigint NOT NULL REFERENCES users (id),
  organization_id bigint NOT NULL REFERENCES organizations (id),
  started_at      timestamptz NOT NULL,
  ended_at        timestamptz,
  action_count    integer NOT NULL DEFAULT 0 CHECK (action_count >= 0)
);
-- Covering index: active-user windows are answered from the index alone.
CREATE INDEX IF NOT EXISTS user_sessions_started_at_idx
  ON user_sessions (started_at) INCLUDE (user_id, organization_id);
CREATE INDEX IF NOT EXISTS user_sessions_user_started_idx ON user_sessions (user_id, started_at);

-- Daily roll-up the app writes (one row per user, feature and day).
CREATE TABLE IF NOT EXISTS feature_usage (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  user_id         bigint NOT NULL REFERENCES users (id),
  feature         text NOT NULL,
  usage_date      date NOT NULL,
  use_count       integer NOT NULL CHECK (use_count > 0),
  PRIMARY KEY (user_id, feature, usage_date)
);
CREATE INDEX IF NOT EXISTS feature_usage_date_idx ON feature_usage (usage_date);

CREATE TABLE IF NOT EXISTS support_tickets (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id   bigint NOT NULL REFERENCES organizations (id),
  subject           text NOT NULL,
  status            text NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'in_progress', 'resolved')),
  priority          text NOT NULL DEFAULT 'medium'
                    CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  first_response_at timestamptz,
  resolved_at       timestamptz,
  CHECK (resolved_at IS NULL OR resolved_at >= created_at)
);
CREATE INDEX IF NOT EXISTS support_tickets_status_priority_idx ON support_tickets (status, priority);
CREATE INDEX IF NOT EXISTS support_tickets_resolved_at_idx ON support_tickets (resolved_at)
  WHERE resolved_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS support_tickets_org_created_idx ON support_tickets (organization_id, created_at);

CREATE TABLE IF NOT EXISTS nps_responses (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id bigint NOT NULL REFERENCES organizations (id),
  user_id         bigint REFERENCES users (id),
  score           smallint NOT NULL CHECK (score BETWEEN 0 AND 10),
  comment         text,
  responded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS nps_responses_responded_at_idx ON nps_responses (responded_at);

CREATE TABLE IF NOT EXISTS csat_responses (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id bigint NOT NULL REFERENCES organizations (id),
  user_id         bigint REFERENCES users (id),
  ticket_id       bigint REFERENCES support_tickets (id),
  touchpoint      text NOT NULL DEFAULT 'support',  -- support, onboarding, release, billing
  score           smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  responded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS csat_responses_responded_at_idx ON csat_responses (responded_at);

-- Spend is booked per business day; windows are taken by spend_date, not insert time.
CREATE TABLE IF NOT EXISTS marketing_spend (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel    text NOT NULL,
  spend_date date NOT NULL,
  amount     numeric(14, 2) NOT NULL CHECK (amount >= 0),
  currency   char(3) NOT NULL DEFAULT 'USD',
  campaign   text
);
CREATE INDEX IF NOT EXISTS marketing_spend_date_idx ON marketing_spend (spend_date);

CREATE TABLE IF NOT EXISTS referrals (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  referrer_user_id bigint NOT NULL REFERENCES users (id),
  referred_email   text NOT NULL,
  referred_user_id bigint REFERENCES users (id),
  sent_at          timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz  -- the invitee signed up
);
CREATE INDEX IF NOT EXISTS referrals_sent_at_idx ON referrals (sent_at);

CREATE TABLE IF NOT EXISTS email_campaigns (
  id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug    text NOT NULL UNIQUE,
  name    text NOT NULL,
  sent_at timestamptz
);
CREATE INDEX IF NOT EXISTS email_campaigns_sent_at_idx ON email_campaigns (sent_at);

-- One row per recipient; the funnel timestamps are filled as the ESP reports them.
CREATE TABLE IF NOT EXISTS email_campaign_deliveries (
  campaign_id  bigint NOT NULL REFERENCES email_campaigns (id),
  user_id      bigint NOT NULL REFERENCES users (id),
  sent_at      timestamptz NOT NULL,
  opened_at    timestamptz,
  clicked_at   timestamptz,
  converted_at timestamptz,
  PRIMARY KEY (campaign_id, user_id)
);

CREATE TABLE IF NOT EXISTS landing_pages (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug     text NOT NULL UNIQUE,
  name     text NOT NULL,
  url_path text NOT NULL
);

-- Append-only, Segment-like event stream. It may live in another database; it
-- has no foreign keys for that reason. Rows are never updated.
CREATE TABLE IF NOT EXISTS analytics_events (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at     timestamptz NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  event_name      text NOT NULL,
  user_id         bigint,
  organization_id bigint,
  anonymous_id    text,
  properties      jsonb NOT NULL DEFAULT '{}'::jsonb
);
-- Incremental counting scans (event_name, id > watermark): cost follows new rows only.
CREATE INDEX IF NOT EXISTS analytics_events_name_id_idx ON analytics_events (event_name, id);
