import { type Sample, sample } from '../metrics/spec.js';
import { boundCurrency, OTHER } from '../shared/bounded-labels.js';
import { toMajorUnits } from './currency.js';
import type { TrailingWindowFigures } from './trailing-window.js';

export interface WindowSampleSettings {
  /** Every currency billing reports, so each gets its zeros. */
  readonly currencies: ReadonlySet<string>;
  readonly tiers: readonly string[];
  readonly channels: readonly string[];
}

/**
 * Samples of one trailing window. Every tier and channel of the vocabularies appears for every
 * currency in use, zero when empty (a channel with spend and no new customer has efficiency 0,
 * not none); `other` only when it has something. The churn ratio is absent when nobody paid.
 */
export function windowSamples(
  figures: TrailingWindowFigures,
  settings: WindowSampleSettings,
): Sample[] {
  const samples: Sample[] = [];
  const window = figures.window;
  const currencies = new Set(settings.currencies);
  for (const key of [...figures.acquired.keys(), ...figures.startByTier.keys()]) {
    currencies.add(key.split('|')[1] ?? '');
  }
  for (const currency of figures.churn.keys()) currencies.add(currency);
  for (const currency of currencies) {
    const labels = { currency: boundCurrency(currency), window };
    for (const channel of new Set([...settings.channels, OTHER])) {
      const key = `${channel}|${currency}`;
      const acquired = figures.acquired.get(key) ?? 0;
      const newMrr = figures.newMrr.get(key) ?? 0;
      if (channel === OTHER && acquired === 0 && newMrr === 0) continue;
      samples.push(sample('chom_customers_acquired_in_window', acquired, { channel, ...labels }));
      samples.push(
        sample('chom_revenue_new_mrr_in_window', toMajorUnits(newMrr, currency), {
          channel,
          ...labels,
        }),
      );
    }
    for (const tier of new Set([...settings.tiers, OTHER])) {
      const key = `${tier}|${currency}`;
      const start = figures.startByTier.get(key) ?? 0;
      if (tier === OTHER && start === 0) continue;
      samples.push(sample('chom_customers_window_start', start, { tier, ...labels }));
      samples.push(
        sample('chom_customers_churned_in_window', figures.churnedByTier.get(key) ?? 0, {
          tier,
          ...labels,
        }),
      );
    }
    const churn = figures.churn.get(currency);
    if (churn && churn.start > 0) {
      samples.push(sample('chom_customer_churn_window_ratio', churn.churned / churn.start, labels));
    }
  }
  return samples;
}
