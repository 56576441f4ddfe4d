-- Billing mirror: the subscription state an app keeps in its own database when
-- it bills through a provider (as Laravel Cashier and similar libraries do).
-- The billing engine reads it when there is no Stripe account to read (and in
-- demo mode). Amounts are in minor units of the currency (cents; yen for JPY).

CREATE TABLE IF NOT EXISTS billing_prices (
  id                 text PRIMARY KEY,              -- the provider's price id
  product_id         text NOT NULL,
  lookup_key         text,
  tier               text,                          -- starter, professional, enterprise...
  currency           char(3) NOT NULL,
  billing_scheme     text NOT NULL DEFAULT 'per_unit' CHECK (billing_scheme IN ('per_unit', 'tiered')),
  unit_amount        numeric(18, 4),                -- per unit, minor units; NULL when tiered
  tiers_mode         text CHECK (tiers_mode IN ('volume', 'graduated')),
  tiers              jsonb,                         -- [{"up_to": 10 | null, "unit_amount": 500, "flat_amount": 0}]
  recurring_interval text NOT NULL CHECK (recurring_interval IN ('day', 'week', 'month', 'year')),
  interval_count     integer NOT NULL DEFAULT 1 CHECK (interval_count > 0),
  usage_type         text NOT NULL DEFAULT 'licensed' CHECK (usage_type IN ('licensed', 'metered'))
);

CREATE TABLE IF NOT EXISTS billing_subscriptions (
  id                   text PRIMARY KEY,            -- the provider's subscription id
  organization_id      bigint NOT NULL REFERENCES organizations (id),  -- the customer
  status               text NOT NULL CHECK (status IN ('active', 'past_due', 'trialing', 'incomplete',
                         'incomplete_expired', 'unpaid', 'canceled', 'paused')),
  currency             char(3) NOT NULL,
  started_at           timestamptz NOT NULL,
  trial_ends_at        timestamptz,
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  cancel_at            timestamptz,
  canceled_at          timestamptz,                 -- when cancellation was requested
  ended_at             timestamptz,                 -- when it stopped running
  past_due_since       timestamptz,
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS billing_subscriptions_org_idx ON billing_subscriptions (organization_id);

CREATE TABLE IF NOT EXISTS billing_subscription_items (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscription_id text NOT NULL REFERENCES billing_subscriptions (id) ON DELETE CASCADE,
  price_id        text NOT NULL REFERENCES billing_prices (id),
  quantity        integer CHECK (quantity >= 0)       -- NULL for metered prices
);
CREATE INDEX IF NOT EXISTS billing_subscription_items_sub_idx ON billing_subscription_items (subscription_id);

-- A discount on a subscription (subscription_item_id NULL) or on one of its items.
CREATE TABLE IF NOT EXISTS billing_discounts (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscription_id      text NOT NULL REFERENCES billing_subscriptions (id) ON DELETE CASCADE,
  subscription_item_id bigint REFERENCES billing_subscription_items (id) ON DELETE CASCADE,
  percent_off          numeric(5, 2) CHECK (percent_off > 0 AND percent_off <= 100),
  amount_off           numeric(18, 4) CHECK (amount_off > 0),
  currency             char(3),
  duration             text NOT NULL CHECK (duration IN ('once', 'repeating', 'forever')),
  ends_at              timestamptz,
  applies_to_products  text[],
  CHECK ((percent_off IS NULL) <> (amount_off IS NULL))
);
CREATE INDEX IF NOT EXISTS billing_discounts_sub_idx ON billing_discounts (subscription_id);
