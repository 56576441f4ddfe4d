import type { Logger } from 'pino';
import type { BaseConfig } from '../config/schema.js';
import type { BillingSnapshotSource } from './billing-source.js';
import { createStripeBillingSource } from './stripe-source.js';

/** The Stripe source when an API key is configured; none otherwise. */
export function stripeFromConfig(
  config: BaseConfig,
  log: Logger,
): BillingSnapshotSource | undefined {
  const { apiKey, ...options } = config.stripe;
  if (!apiKey) return undefined;
  return createStripeBillingSource({ ...options, apiKey }, log.child({ source: 'stripe' }));
}
