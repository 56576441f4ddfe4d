import type { BillingSubscription, SubscriptionStatus } from './types.js';

/**
 * The status a subscription had at `at`, judged from its timeline (start, trial end, end,
 * past-due since); undefined before it started. Sources keep only the current status, so the
 * states in between are inferred: a subscription canceled since ran as trialing or active before
 * its end; one past due since later was trialing or active before that. At the present it is the
 * current status (barring data where the trial end lies ahead of an active subscription).
 */
export function statusAt(sub: BillingSubscription, at: Date): SubscriptionStatus | undefined {
  const t = at.getTime();
  if (sub.startedAt.getTime() > t) return undefined;
  if (sub.endedAt && sub.endedAt.getTime() <= t) {
    return sub.status === 'incomplete_expired' ? sub.status : 'canceled';
  }
  const running = sub.trialEnd && sub.trialEnd.getTime() > t ? 'trialing' : 'active';
  switch (sub.status) {
    case 'canceled':
      // Ended after `at` (ended before was handled above): it was running then.
      return sub.endedAt ? running : 'canceled';
    case 'past_due':
    case 'unpaid':
      return sub.pastDueSince && sub.pastDueSince.getTime() > t ? running : sub.status;
    case 'active':
      return running;
    default:
      return sub.status;
  }
}
