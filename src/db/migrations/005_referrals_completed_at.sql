-- Completed invitations are counted by time: live, each round reads those completed since the
-- last one and the 7- and 30-day windows; in a backfill, each statement of the referrals'
-- grouped pass reads a slice of time. Without this index each of those reads the whole table.
-- On a large production table, create it with CREATE INDEX CONCURRENTLY instead.
CREATE INDEX IF NOT EXISTS referrals_completed_at_idx ON referrals (completed_at);
