import { describe, expect, it } from 'vitest';
import { parseConfig } from '../app/config.js';
import { enabledCollectors, readsAppDatabase } from './enabled.js';
import { collectors } from './index.js';

const stripe = { apiKey: 'rk_test_Selection1' };
const names = (raw: Record<string, unknown>) =>
  enabledCollectors(parseConfig(raw)).map(({ collector }) => collector.name);
const reads = (raw: Record<string, unknown>) => readsAppDatabase(parseConfig(raw));
const customQuery = {
  sql: 'SELECT 1 AS value',
  metrics: [{ column: 'value', name: 'chom_custom_value', type: 'gauge', help: 'A value.' }],
};

describe('enabledCollectors', () => {
  it('runs every built-in collector by default', () => {
    expect(names({})).toEqual(collectors.map((c) => c.name));
  });

  it('runs only the listed ones, in the built-in order, and never a disabled one', () => {
    expect(names({ collectors: { only: ['config_kpi_targets', 'postgres_nps'] } })).toEqual([
      'postgres_nps',
      'config_kpi_targets',
    ]);
    expect(
      names({
        collectors: { only: ['postgres_nps', 'postgres_csat'], postgres_csat: { enabled: false } },
      }),
    ).toEqual(['postgres_nps']);
  });

  it('runs custom queries whatever only says', () => {
    expect(
      names({ collectors: { only: ['postgres_nps'] }, custom: { mine: customQuery } }),
    ).toEqual(['postgres_nps', 'custom_mine']);
  });
});

describe('readsAppDatabase', () => {
  const stripeOnly = {
    stripe,
    collectors: { only: ['billing_mrr'], billing_mrr: { source: 'stripe' } },
  };

  it('is false for Stripe-only billing and for the KPI targets, which read no database', () => {
    expect(reads(stripeOnly)).toBe(false);
    expect(reads({ collectors: { only: ['config_kpi_targets'] } })).toBe(false);
    expect(
      reads({
        stripe,
        collectors: { ...stripeOnly.collectors, only: ['billing_mrr', 'config_kpi_targets'] },
      }),
    ).toBe(false);
  });

  it('is true for billing from the mirror, any postgres collector, and custom queries', () => {
    expect(reads({})).toBe(true);
    expect(reads({ collectors: { only: ['billing_mrr'] } })).toBe(true);
    expect(
      reads({
        ...stripeOnly,
        collectors: { ...stripeOnly.collectors, only: ['billing_mrr', 'postgres_nps'] },
      }),
    ).toBe(true);
    expect(reads({ ...stripeOnly, custom: { mine: customQuery } })).toBe(true);
  });

  it('counts the event counters only when the events have no database of their own', () => {
    const events = { collectors: { only: ['analytics_event_counters'] } };
    expect(reads(events)).toBe(true);
    expect(reads({ ...events, events: { url: 'postgres://events@db/events' } })).toBe(false);
  });
});
