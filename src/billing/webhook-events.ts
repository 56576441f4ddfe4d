import type { BillingSelfMetrics, WebhookOutcome } from './billing-self-metrics.js';
import type { BillingSnapshotSource } from './billing-source.js';

/** Stripe retries for days; a short wait lets a burst of events share one billing run. */
export const refreshDelayMs = 2_000;

/** A Stripe event whose signature was verified; nothing else about it is trusted. */
export type VerifiedEvent = Parameters<NonNullable<BillingSnapshotSource['notify']>>[0];

/**
 * The narrow callback the HTTP route hands verified webhook events to: billing
 * decides what an event means, the route only verifies and answers.
 */
export interface BillingWebhook {
  /** Takes a verified event; true when billing reads what it names (a refresh is on its way). */
  deliver(event: VerifiedEvent): boolean;
  /** Counts deliveries by outcome (chom_stripe_webhook_events_total); 0 creates the series. */
  record(outcome: WebhookOutcome, count?: number): void;
}

/**
 * Billing's webhook handling: an event Stripe's source cares about marks its
 * objects for re-reading and brings the billing run forward by `refresh`.
 * `stripe` is read per event, so a reload's new source gets the next one.
 */
export function billingWebhook(deps: {
  readonly stripe: () => BillingSnapshotSource | undefined;
  readonly refresh: (delayMs: number) => void;
  readonly metrics: BillingSelfMetrics;
  /** The exposition changed (the exporter renders it again). */
  readonly changed: () => void;
}): BillingWebhook {
  return {
    deliver(event) {
      const accepted = deps.stripe()?.notify?.(event) ?? false;
      if (accepted) deps.refresh(refreshDelayMs);
      return accepted;
    },
    record(outcome, count = 1) {
      deps.metrics.webhookEvents.inc({ outcome }, count);
      deps.changed();
    },
  };
}
