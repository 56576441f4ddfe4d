import type { AnyCollector } from '../collectors/types.js';
import { activeUsersSeries } from './active-users-series.js';
import { billingSeries } from './billing-series.js';
import { cohortRetentionSeries } from './cohort-retention-series.js';
import { customerHealthSeries } from './customer-health-series.js';
import { engagementSeries } from './engagement-series.js';
import { eventCounterSeries } from './event-counter-series.js';
import { referralSeries } from './referral-series.js';
import type { CollectSeries } from './step-grid.js';
import { supportTicketSeries } from './support-ticket-series.js';

export type { CollectSeries, StepGrid, StepSeries } from './step-grid.js';

/**
 * Hooks the backfill provides for built-in collectors without touching their
 * files; a collector may also carry its own as `collectSeries`, which wins.
 */
const builtInHooks: Readonly<Record<string, CollectSeries>> = {
  // Lifetime counters and `_in_window` gauges from cumulative counts per step: one scan of the
  // events for the range instead of two per step (test/integration/event-counter-series.test.ts).
  analytics_event_counters: eventCounterSeries as CollectSeries,
  // Sent and completed totals and their `_in_window` gauges from cumulative counts per step: a
  // few statements for the range instead of four counts of the referrals table per step
  // (test/integration/referral-series.test.ts).
  postgres_referrals: referralSeries as CollectSeries,
  // Cohort sizes and retention from +1/-1 changes per step: each month of sessions read once for
  // the range instead of the trailing window's at every step
  // (test/integration/cohort-retention-series.test.ts).
  postgres_cohort_retention: cohortRetentionSeries as CollectSeries,
  // Tickets by status from their status changes, the created counter and windows, the mean
  // timings from cumulative counts and durations per step: a few reads of the table for the range
  // instead of five per step (test/integration/support-ticket-series.test.ts).
  postgres_support_tickets: supportTicketSeries as CollectSeries,
  // Every step of a block of 500 folded over one read of the billing mirror, a page of customers
  // at a time, instead of the whole mirror read at every step; declines for Stripe and with a
  // month-opening store (test/integration/billing-series.test.ts).
  billing_mrr: billingSeries as CollectSeries,
  // Daily, weekly and monthly active users from islands of each user's sessions (+1/-1 per step),
  // registered users from cumulative counts: each session read once for the range instead of 30
  // days of sessions at every step (test/integration/active-users-series.test.ts).
  postgres_active_users: activeUsersSeries as CollectSeries,
  // The organizations and users alive at each step swept once for the range (+1/-1 changes per
  // step, a slice of 500 steps at a time) and given to the collector's own query as arrays,
  // instead of the whole users table read at every step; the trailing windows are still read
  // per step (test/integration/population-series.test.ts).
  postgres_engagement: engagementSeries as CollectSeries,
  postgres_customer_health: customerHealthSeries as CollectSeries,
};

export function seriesHookOf(collector: AnyCollector): CollectSeries | undefined {
  const own = (collector as AnyCollector & { collectSeries?: CollectSeries }).collectSeries;
  return own ?? builtInHooks[collector.name];
}
