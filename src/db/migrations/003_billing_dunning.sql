-- Dunning: since when a past-due or unpaid subscription's payment has been
-- failing. The billing engine works it out the same way as for Stripe: from
-- the subscription's invoices (when the oldest unpaid one since its last paid
-- one was due), else from the start of its current billing period (where the
-- paid period ended). This replaces past_due_since, a date each writer filled
-- in its own way; its values are kept as unpaid invoices.

CREATE TABLE IF NOT EXISTS billing_invoices (
  id              text PRIMARY KEY,                 -- the provider's invoice id
  subscription_id text NOT NULL REFERENCES billing_subscriptions (id) ON DELETE CASCADE,
  status          text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'uncollectible', 'void')),
  created_at      timestamptz NOT NULL,
  -- When payment was first due: a sent invoice's due date; for one charged
  -- automatically, its finalization (the first charge attempt). created_at when NULL.
  due_at          timestamptz
);
CREATE INDEX IF NOT EXISTS billing_invoices_sub_idx ON billing_invoices (subscription_id, created_at DESC);

-- The start of the current billing period: a renewal starts it whether or not its payment succeeds.
ALTER TABLE billing_subscriptions ADD COLUMN IF NOT EXISTS current_period_start timestamptz;

INSERT INTO billing_invoices (id, subscription_id, status, created_at)
SELECT 'past_due_since_' || id, id, 'open', past_due_since
FROM billing_subscriptions WHERE past_due_since IS NOT NULL;
ALTER TABLE billing_subscriptions DROP COLUMN past_due_since;
