import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/app/config.js';
import { parseConfig } from '../../src/app/config.js';
import { closeSources } from '../../src/app/create-sources.js';
import { buildSources } from '../../src/app/service.js';
import { billingMrr } from '../../src/collectors/billing-mrr.js';
import type { Sources } from '../../src/collectors/sources.js';
import {
  type TimelineSubscription,
  timelineChannels,
  timelineSql,
  timelineSubscriptions,
} from '../fixtures/billing-timeline.js';
import { collectAt, seriesOfSamples } from '../helpers/collect-at.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const DAY_MS = 86_400_000;
const tiers = ['starter', 'professional', 'business', 'enterprise'];
const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

// An independent reading of the fixture timeline: paying from the start (or the trial's end)
// until the end; MRR = unit amount x quantity, a yearly price / 12.
const paidFrom = (s: TimelineSubscription) => Math.max(ms(s.start) ?? 0, ms(s.trialEnd) ?? 0);
const paying = (s: TimelineSubscription, t: number) =>
  paidFrom(s) <= t && (ms(s.end) === undefined || (ms(s.end) ?? 0) > t);
const monthly = (s: TimelineSubscription) =>
  (s.price.unitAmount * s.quantity) / (s.price.interval === 'year' ? 12 : 1);
const customerOf = (s: TimelineSubscription) => String(s.org);

/** customer → currency → MRR (minor units) at t. */
function mrrAt(t: number): Map<string, Map<string, number>> {
  const result = new Map<string, Map<string, number>>();
  for (const s of timelineSubscriptions.filter((x) => paying(x, t))) {
    const perCurrency = result.get(customerOf(s)) ?? new Map<string, number>();
    perCurrency.set(s.price.currency, (perCurrency.get(s.price.currency) ?? 0) + monthly(s));
    result.set(customerOf(s), perCurrency);
  }
  return result;
}

const key = (labels: Record<string, string>) =>
  JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))));
const bump = (map: Record<string, number>, labels: Record<string, string>, by = 1) => {
  map[key(labels)] = (map[key(labels)] ?? 0) + by;
};

/** The expected series at t, worked out from the timeline alone. */
function expectedAt(t: number) {
  const monthStart = Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth(), 1);
  const windowStart = t - 30 * DAY_MS;
  const currencies = ['USD', 'EUR'];
  const mrr: Record<string, number> = {};
  const byTier: Record<string, number> = {};
  const startByTier: Record<string, number> = {};
  const churnedByTier: Record<string, number> = {};
  for (const currency of currencies) {
    for (const tier of tiers) {
      for (const map of [mrr, byTier, startByTier, churnedByTier]) map[key({ tier, currency })] = 0;
    }
  }
  const end = mrrAt(t);
  const tiersOf = (at: number) => {
    const result = new Set<string>();
    for (const s of timelineSubscriptions.filter((x) => paying(x, at))) {
      result.add(`${customerOf(s)}|${s.price.tier}|${s.price.currency.toUpperCase()}`);
    }
    return result;
  };
  for (const s of timelineSubscriptions.filter((x) => paying(x, t))) {
    bump(mrr, { tier: s.price.tier, currency: s.price.currency.toUpperCase() }, monthly(s) / 100);
  }
  for (const entry of tiersOf(t)) {
    const [, tier = '', currency = ''] = entry.split('|');
    bump(byTier, { tier, currency });
  }
  for (const entry of tiersOf(windowStart)) {
    const [customer = '', tier = '', currency = ''] = entry.split('|');
    bump(startByTier, { tier, currency });
    if (!end.has(customer)) bump(churnedByTier, { tier, currency });
  }
  for (const map of [startByTier, churnedByTier]) {
    for (const k of Object.keys(map)) {
      map[k.replace(/}$/, ',"window":"30d"}')] = map[k] ?? 0;
      delete map[k];
    }
  }
  // Acquisition: the first paying moment of each customer.
  const acquired: Record<string, number> = {};
  const newMrr: Record<string, number> = {};
  for (const customer of new Set(timelineSubscriptions.map(customerOf))) {
    const subs = timelineSubscriptions.filter(
      (s) => customerOf(s) === customer && paidFrom(s) < (ms(s.end) ?? Number.POSITIVE_INFINITY),
    );
    const first = subs.sort((a, b) => paidFrom(a) - paidFrom(b))[0];
    if (!first || paidFrom(first) <= windowStart || paidFrom(first) > t) continue;
    const channel = timelineChannels[Number(customer)] ?? 'other';
    bump(acquired, { channel, currency: first.price.currency.toUpperCase(), window: '30d' });
    for (const [currency, amount] of end.get(customer) ?? []) {
      bump(newMrr, { channel, currency: currency.toUpperCase(), window: '30d' }, amount / 100);
    }
  }
  const churnRatio: Record<string, number> = {};
  for (const currency of ['usd', 'eur']) {
    const payingThen = [...mrrAt(windowStart)].filter(([, m]) => m.has(currency));
    if (payingThen.length === 0) continue;
    const gone = payingThen.filter(([c]) => !end.has(c)).length;
    churnRatio[key({ currency: currency.toUpperCase(), window: '30d' })] = gone / payingThen.length;
  }
  // The month's customer movements.
  const opening = mrrAt(monthStart);
  const total = (m: Map<string, number> | undefined) =>
    [...(m?.values() ?? [])].reduce((a, b) => a + b, 0);
  const movements = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0 };
  for (const customer of new Set([...opening.keys(), ...end.keys()])) {
    const before = total(opening.get(customer));
    const after = total(end.get(customer));
    const paidEarlier = timelineSubscriptions.some(
      (s) =>
        customerOf(s) === customer &&
        paidFrom(s) < monthStart &&
        paidFrom(s) < (ms(s.end) ?? Number.POSITIVE_INFINITY),
    );
    if (before === 0 && after > 0) movements[paidEarlier ? 'reactivation' : 'new'] += 1;
    else if (before > 0 && after === 0) movements.churn += 1;
    else if (after > before) movements.expansion += 1;
    else if (after < before) movements.contraction += 1;
  }
  const statuses: Record<string, number> = { active: 0, trialing: 0, canceled: 0 };
  for (const s of timelineSubscriptions) {
    if ((ms(s.start) ?? 0) > t) continue;
    if (ms(s.end) !== undefined && (ms(s.end) ?? 0) <= t)
      statuses.canceled = (statuses.canceled ?? 0) + 1;
    else if ((ms(s.trialEnd) ?? 0) > t) statuses.trialing = (statuses.trialing ?? 0) + 1;
    else statuses.active = (statuses.active ?? 0) + 1;
  }
  return {
    mrr,
    byTier,
    startByTier,
    churnedByTier,
    acquired,
    newMrr,
    churnRatio,
    movements,
    statuses,
    customers: end.size,
    customersMonthStart: opening.size,
  };
}

/** Only the non-zero series of a map (the exporter also lists zeros for every vocabulary value). */
const nonZero = (series: Record<string, number>) =>
  Object.fromEntries(Object.entries(series).filter(([, v]) => v !== 0));

describe('billing_mrr as of a past instant, from the billing mirror', () => {
  let db: TestDatabase;
  let config: Config;
  let sources: Sources;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(timelineSql());
    config = parseConfig({ database: { url: db.url } });
    sources = buildSources(config, { url: db.url }, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await closeSources(sources);
    await db.drop();
  });

  it.each([
    ['mid-January', '2025-01-20T12:00:00Z'],
    ['the last hour of January', '2025-01-31T23:00:00Z'],
    ['the 1st, half an hour into February', '2025-02-01T00:30:00Z'],
    // tl_b started 30 days and two hours earlier: just out of the window, still paying.
    ['the day tl_b leaves the trailing window', '2025-02-09T12:00:00Z'],
    ['mid-February', '2025-02-20T12:00:00Z'],
  ])('equals the timeline worked out by hand at %s', async (_name, iso) => {
    const at = new Date(iso);
    const { samples, rejected } = await collectAt(billingMrr, config, sources, at);
    expect(rejected).toEqual([]);
    const want = expectedAt(at.getTime());
    const series = (metric: string) => seriesOfSamples(samples, metric);
    const close = (got: Record<string, number>, expected: Record<string, number>) => {
      expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
      for (const [k, v] of Object.entries(expected)) expect(got[k]).toBeCloseTo(v, 9);
    };
    close(series('chom_revenue_mrr'), want.mrr);
    expect(series('chom_customers_by_tier')).toEqual(want.byTier);
    expect(series('chom_customers_window_start')).toEqual(want.startByTier);
    expect(series('chom_customers_churned_in_window')).toEqual(want.churnedByTier);
    expect(nonZero(series('chom_customers_acquired_in_window'))).toEqual(want.acquired);
    close(nonZero(series('chom_revenue_new_mrr_in_window')), want.newMrr);
    close(series('chom_customer_churn_window_ratio'), want.churnRatio);
    expect(series('chom_customers')).toEqual({ '{}': want.customers });
    expect(series('chom_customers_month_start')).toEqual({ '{}': want.customersMonthStart });
    expect(series('chom_customer_movements')).toEqual(
      Object.fromEntries(Object.entries(want.movements).map(([m, v]) => [key({ movement: m }), v])),
    );
    expect(nonZero(series('chom_subscriptions'))).toEqual(
      nonZero(
        Object.fromEntries(Object.entries(want.statuses).map(([s, v]) => [key({ status: s }), v])),
      ),
    );
    // A past month is reconstructed from the timelines, never recorded.
    expect(series('chom_billing_month_opening_reconstructed')).toEqual({ '{}': 1 });
    // The mirror keeps no item history: every counted subscription is on its current items.
    expect(series('chom_billing_history_basis')).toEqual({
      [key({ source: 'database', basis: 'current_items' })]: timelineSubscriptions.filter((s) =>
        paying(s, at.getTime()),
      ).length,
    });
  });

  it('sees the month boundary: the January churn is in January, the February start in February', async () => {
    const january = await collectAt(billingMrr, config, sources, new Date('2025-01-31T23:45:00Z'));
    const february = await collectAt(billingMrr, config, sources, new Date('2025-02-01T00:30:00Z'));
    const movements = (samples: typeof january.samples) =>
      seriesOfSamples(samples, 'chom_customer_movements');
    // tl_c ended at 23:30 on the 31st: January's churn; February opens without it.
    expect(movements(january.samples)[key({ movement: 'churn' })]).toBe(1);
    expect(movements(february.samples)[key({ movement: 'churn' })]).toBe(0);
    // tl_f started ten minutes into February: new in February.
    expect(movements(february.samples)[key({ movement: 'new' })]).toBe(1);
  });
});
