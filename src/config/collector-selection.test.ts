import { describe, expect, it } from 'vitest';
import { parseConfig } from '../app/config.js';
import { collectors } from '../collectors/index.js';
import { ConfigError } from './load.js';

/** The problems of a refused configuration; fails the test when it is accepted. */
function problemsOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

const stripeKey = { apiKey: 'rk_test_OnlyStripe1' };

describe('collectors.only', () => {
  it('accepts built-in collector names', () => {
    const config = parseConfig({
      stripe: stripeKey,
      collectors: {
        only: ['billing_mrr', 'config_kpi_targets'],
        billing_mrr: { source: 'stripe' },
      },
    });
    expect(config.collectors.only).toEqual(['billing_mrr', 'config_kpi_targets']);
  });

  it('refuses an unknown name, naming it and listing the valid ones', () => {
    expect(problemsOf({ collectors: { only: ['billing_mrr', 'biling_mrr'] } })).toEqual([
      `collectors.only.1: unknown collector "biling_mrr"; the collectors are ${collectors.map((c) => c.name).join(', ')}`,
    ]);
  });

  it('refuses a name listed twice', () => {
    expect(problemsOf({ collectors: { only: ['postgres_nps', 'postgres_nps'] } })).toEqual([
      'collectors.only.1: "postgres_nps" is listed twice',
    ]);
  });

  it('refuses something other than a list', () => {
    expect(problemsOf({ collectors: { only: 'billing_mrr' } })[0]).toMatch(/^collectors\.only: /);
  });
});

describe('billing from Stripe without a key', () => {
  it('is refused when billing_mrr would run, naming where a key goes', () => {
    expect(problemsOf({ collectors: { billing_mrr: { source: 'stripe' } } })).toEqual([
      'collectors.billing_mrr.source: "stripe" needs a Stripe API key: stripe.apiKey, CHOM_STRIPE_API_KEY or CHOM_STRIPE_API_KEY_FILE',
    ]);
  });

  it('is accepted when billing_mrr does not run (left out of only, or disabled)', () => {
    expect(() =>
      parseConfig({
        collectors: { only: ['postgres_nps'], billing_mrr: { source: 'stripe' } },
      }),
    ).not.toThrow();
    expect(() =>
      parseConfig({ collectors: { billing_mrr: { source: 'stripe', enabled: false } } }),
    ).not.toThrow();
  });
});
