import type { Counter, Registry } from 'prom-client';
import { counter } from '../metrics/self-metrics.js';
import type { BillingSnapshotSource } from './billing-source.js';

/** What became of a webhook delivery: the `outcome` label, every value known in advance. */
export const webhookOutcomes = [
  'accepted',
  'ignored',
  'bad_signature',
  'stale',
  'malformed',
  'too_large',
] as const;
export type WebhookOutcome = (typeof webhookOutcomes)[number];

/** Billing's own operational counters: Stripe requests, syncs and webhook deliveries. */
export interface BillingSelfMetrics {
  readonly stripeRequests: Counter<'kind'>;
  readonly stripeSyncs: Counter<'mode'>;
  readonly webhookEvents: Counter<'outcome'>;
}

/** Registers billing's counters on the exporter's registry (names and help in metrics/self-metrics.ts). */
export function createBillingSelfMetrics(registry: Registry): BillingSelfMetrics {
  return {
    stripeRequests: counter(registry, 'chom_stripe_requests_total'),
    stripeSyncs: counter(registry, 'chom_stripe_syncs_total'),
    webhookEvents: counter(registry, 'chom_stripe_webhook_events_total'),
  };
}

/**
 * Stripe's requests and syncs go to the self-metrics, zero from the start so
 * rate() works. Called again with each new source (a reload).
 */
export function observeStripe(
  metrics: BillingSelfMetrics,
  stripe: BillingSnapshotSource | undefined,
): void {
  if (!stripe?.observe) return;
  const { stripeRequests, stripeSyncs } = metrics;
  for (const kind of ['list', 'retrieve', 'events'] as const) stripeRequests.inc({ kind }, 0);
  for (const mode of ['full', 'incremental'] as const) stripeSyncs.inc({ mode }, 0);
  stripe.observe({
    onRequest: (kind) => stripeRequests.inc({ kind }),
    onSync: (mode) => stripeSyncs.inc({ mode }),
  });
}
