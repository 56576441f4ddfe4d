-- Demo billing mirror: prices for the seed's tiers (starter, professional, business) and
-- enterprise, and a subscription history for most demo organizations, relative to now():
-- organizations subscribe within three weeks of signing up (the first ones ~445 days ago),
-- customers churn all year round (three a month, the first on the 1st of the month), and the
-- current month always has new, expanded, contracted, churned and reactivated customers.
-- Deterministic: setseed() fixes random(), and the churn calendar is a fixed schedule.
SELECT setseed(0.17);

INSERT INTO billing_prices (id, product_id, lookup_key, tier, currency, unit_amount, recurring_interval, interval_count) VALUES
  ('price_starter_monthly', 'prod_starter', 'starter_monthly', 'starter', 'usd', 2900, 'month', 1),
  ('price_starter_yearly', 'prod_starter', 'starter_yearly', 'starter', 'usd', 29000, 'year', 1),
  ('price_professional_monthly', 'prod_professional', 'professional_monthly', 'professional', 'usd', 9900, 'month', 1),
  ('price_professional_yearly', 'prod_professional', 'professional_yearly', 'professional', 'usd', 99000, 'year', 1),
  ('price_business_monthly', 'prod_business', 'business_monthly', 'business', 'usd', 9900, 'month', 1),
  ('price_enterprise_monthly', 'prod_enterprise', 'enterprise_monthly', 'enterprise', 'usd', 4900, 'month', 1),
  ('price_professional_eur', 'prod_professional', 'professional_monthly_eur', 'professional', 'eur', 8900, 'month', 1);
INSERT INTO billing_prices (id, product_id, tier, currency, unit_amount, recurring_interval, usage_type) VALUES
  ('price_api_calls', 'prod_api', 'enterprise', 'usd', 1, 'month', 'metered');

-- One subscription per organization for about 80% of them, started 1 to 21 days after the
-- organization signed up (trials: in the last week, and still trialing).
WITH orgs AS (
  SELECT id, created_at, random() AS r, random() AS r2, random() AS r3 FROM organizations ORDER BY id
), plans AS (
  SELECT id AS org_id, created_at, r, r2, r3,
    CASE WHEN r < 0.50 THEN 'starter' WHEN r < 0.85 THEN 'professional' ELSE 'enterprise' END AS tier,
    CASE WHEN r3 >= 0.07 AND r3 < 0.09 THEN greatest(created_at, now() - interval '7 days')
         ELSE least(now(), created_at + interval '1 day' + interval '20 days' * r2) END AS started
  FROM orgs WHERE r3 < 0.80
), churn_calendar AS (
  -- Three churns a month, this month (those already past) and the 14 before it: the first on
  -- the 1st (minutes to hours after midnight, so a month-to-date window of a day or more always
  -- has one), then around the 11th and the 21st, so every trailing 30 days has one to three.
  SELECT date_trunc('month', now()) - interval '1 month' * m
           + CASE n WHEN 1 THEN interval '25 minutes' * (1 + m % 7)
                    WHEN 2 THEN interval '10 days' + interval '5 hours' * (m % 4)
                    ELSE interval '20 days' + interval '7 hours' * (m % 5) END AS ends,
         row_number() OVER (ORDER BY m DESC, n) AS k
  FROM generate_series(0, 14) AS m, generate_series(1, 3) AS n
), churn_candidates AS (
  -- the ordinary paying subscriptions (not the special statuses below), oldest first
  SELECT org_id, started, row_number() OVER (ORDER BY started, org_id) AS age_rank
  FROM plans
  WHERE r3 >= 0.015 AND NOT (r3 >= 0.05 AND r3 < 0.09) AND NOT (r3 BETWEEN 0.60 AND 0.63)
), scheduled AS (
  -- the k-th earliest churn goes to the (2k)-th oldest customer, when it had been one for two
  -- weeks by then; so early customers churn as much as later ones, and the base keeps growing
  SELECT c.org_id, k.ends
  FROM churn_calendar k
  JOIN churn_candidates c ON c.age_rank = 2 * k.k
  WHERE c.started < k.ends - interval '14 days' AND k.ends < now()
), ended AS (
  -- Besides the calendar, a few customers who were paying when this month began left since,
  -- even when "since" is minutes (the 1st), so the month-to-date churn panels always have
  -- something to show.
  SELECT p.*,
    CASE
      WHEN r3 < 0.015 AND started < date_trunc('month', now()) THEN
        date_trunc('month', now()) + (now() - date_trunc('month', now())) * (0.2 + 0.6 * r2)
      ELSE s.ends
    END AS ended
  FROM plans p LEFT JOIN scheduled s USING (org_id)
)
INSERT INTO billing_subscriptions (id, organization_id, status, currency, started_at, trial_ends_at,
  cancel_at_period_end, canceled_at, ended_at, current_period_start)
SELECT 'sub_demo_' || org_id,
  org_id,
  CASE WHEN ended IS NOT NULL THEN 'canceled' WHEN r3 >= 0.05 AND r3 < 0.07 THEN 'past_due'
       WHEN r3 >= 0.07 AND r3 < 0.09 THEN 'trialing' ELSE 'active' END,
  CASE WHEN tier = 'professional' AND r2 > 0.8 THEN 'eur' ELSE 'usd' END,
  started,
  CASE WHEN r3 >= 0.07 AND r3 < 0.09 THEN now() + interval '7 days' END,
  r3 BETWEEN 0.60 AND 0.63,
  CASE WHEN ended IS NOT NULL OR r3 BETWEEN 0.60 AND 0.63 THEN least(greatest(started, now() - interval '20 days'), ended) END,
  ended,
  CASE WHEN r3 >= 0.05 AND r3 < 0.07 THEN now() - interval '6 days' END
FROM ended;

-- Past-due subscriptions: the renewal invoiced six days ago failed; the one a month before was paid.
INSERT INTO billing_invoices (id, subscription_id, status, created_at)
SELECT 'in_' || id || '_' || n, id, CASE n WHEN 1 THEN 'open' ELSE 'paid' END,
  current_period_start - (n - 1) * interval '1 month'
FROM billing_subscriptions, generate_series(1, 2) AS n WHERE status = 'past_due';

INSERT INTO billing_subscription_items (subscription_id, price_id, quantity)
SELECT s.id,
  CASE
    WHEN s.currency = 'eur' THEN 'price_professional_eur'
    WHEN o.r < 0.45 THEN CASE WHEN o.r2 < 0.3 THEN 'price_starter_yearly' ELSE 'price_starter_monthly' END
    WHEN o.r < 0.75 THEN CASE WHEN o.r2 < 0.3 THEN 'price_professional_yearly' ELSE 'price_professional_monthly' END
    WHEN o.r < 0.88 THEN 'price_business_monthly'
    ELSE 'price_enterprise_monthly'
  END,
  CASE WHEN o.r >= 0.88 THEN 5 + floor(o.r2 * 40)::int ELSE 1 + floor(o.r2 * 3)::int END
FROM billing_subscriptions s
JOIN (SELECT id, r, r2 FROM (SELECT id, random() AS r, random() AS r2 FROM organizations) x) o ON o.id = s.organization_id;

-- Enterprise customers also have a metered API item (never part of MRR).
INSERT INTO billing_subscription_items (subscription_id, price_id, quantity)
SELECT s.id, 'price_api_calls', NULL FROM billing_subscriptions s
JOIN billing_subscription_items i ON i.subscription_id = s.id AND i.price_id = 'price_enterprise_monthly';

-- Reactivations: organizations whose first subscription ended months ago and who came back this month.
INSERT INTO billing_subscriptions (id, organization_id, status, currency, started_at, ended_at, canceled_at)
SELECT 'sub_demo_old_' || s.organization_id, s.organization_id, 'canceled', 'usd',
  s.started_at - interval '200 days', s.started_at - interval '60 days', s.started_at - interval '60 days'
FROM billing_subscriptions s
WHERE s.status = 'active' AND s.started_at > date_trunc('month', now()) AND s.organization_id % 5 = 0;
INSERT INTO billing_subscription_items (subscription_id, price_id, quantity)
SELECT id, 'price_starter_monthly', 1 FROM billing_subscriptions WHERE id LIKE 'sub_demo_old_%';

-- Expansion: some long-standing customers add a second (add-on) subscription this month.
-- Contraction: others had a second subscription that ended this month.
INSERT INTO billing_subscriptions (id, organization_id, status, currency, started_at, ended_at, canceled_at)
SELECT 'sub_demo_addon_' || organization_id, organization_id,
  CASE WHEN organization_id % 2 = 0 THEN 'active' ELSE 'canceled' END, 'usd',
  CASE WHEN organization_id % 2 = 0 THEN date_trunc('month', now()) + (now() - date_trunc('month', now())) / 3
       ELSE started_at END,
  CASE WHEN organization_id % 2 = 1 THEN date_trunc('month', now()) + (now() - date_trunc('month', now())) / 2 END,
  CASE WHEN organization_id % 2 = 1 THEN date_trunc('month', now()) + (now() - date_trunc('month', now())) / 2 END
FROM billing_subscriptions
WHERE status = 'active' AND currency = 'usd' AND started_at < date_trunc('month', now()) - interval '30 days'
  AND organization_id % 13 = 0;
INSERT INTO billing_subscription_items (subscription_id, price_id, quantity)
SELECT id, 'price_starter_monthly', 2 FROM billing_subscriptions WHERE id LIKE 'sub_demo_addon_%';

-- Discounts: a forever 20% for some, a repeating 50% that ends next month for others.
INSERT INTO billing_discounts (subscription_id, percent_off, duration, ends_at)
SELECT id, CASE WHEN organization_id % 2 = 0 THEN 20 ELSE 50 END,
  CASE WHEN organization_id % 2 = 0 THEN 'forever' ELSE 'repeating' END,
  CASE WHEN organization_id % 2 = 0 THEN NULL ELSE date_trunc('month', now()) + interval '1 month' END
FROM billing_subscriptions WHERE organization_id % 11 = 0 AND status = 'active';

ANALYZE billing_subscriptions;
