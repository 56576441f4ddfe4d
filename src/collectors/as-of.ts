import type { AnyCollector } from './types.js';

/**
 * Whether a collector with these options can be evaluated as of a past instant
 * (`ctx.at`), so that `chom-exporter backfill` may run it.
 *
 * PLACEHOLDER: task 18a owns this file and replaces this body with the real
 * rule (a query override or custom SQL that does not use the as-of parameter
 * is live-only). Until then: custom SQL is live-only (nothing says it honours
 * `at`), Stripe billing is live-only (a full Stripe read per step would meet
 * its rate limits), and everything else is backfillable; the KPI targets from
 * the configuration hold at any instant.
 */
export function isBackfillable(collector: AnyCollector, options: unknown): boolean {
  if (collector.name.startsWith('custom_')) return false;
  if (collector.name === 'billing_mrr') {
    return (options as { source?: string } | undefined)?.source !== 'stripe';
  }
  return true;
}
