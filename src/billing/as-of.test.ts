import { describe, expect, it } from 'vitest';
import {
  daysFromNow,
  item,
  NOW,
  policy,
  price,
  snapshot,
  subscription,
} from '../../test/fixtures/billing-builders.js';
import { computeTotals } from './aggregate.js';
import { itemsAt } from './items-at.js';
import { statusAt } from './status-at.js';
import { subscriptionMrr } from './subscription-mrr.js';

const starter = item({ price: price({ id: 'p_starter', tier: 'starter', unitAmount: 1000 }) });
const business = item({ price: price({ id: 'p_business', tier: 'business', unitAmount: 9900 }) });

describe('items in force at an instant', () => {
  // Upgraded from starter to business 10 days ago; the invoice of the period before shows starter.
  const upgraded = subscription({
    items: [business],
    itemsSince: daysFromNow(-10),
    itemHistory: [
      { from: daysFromNow(-40), to: daysFromNow(-10), items: [starter], discounts: [] },
    ],
  });

  it('uses the current items from their start on, and the invoice lines before', () => {
    expect(itemsAt(upgraded, NOW).basis).toBe('current_items');
    expect(subscriptionMrr(upgraded, NOW, policy())).toBe(9900);
    expect(itemsAt(upgraded, daysFromNow(-20)).basis).toBe('invoice_lines');
    expect(subscriptionMrr(upgraded, daysFromNow(-20), policy())).toBe(1000);
  });

  it('falls back to the current items, and says so, where no invoice covers the instant', () => {
    expect(itemsAt(upgraded, daysFromNow(-50)).basis).toBe('current_items_changed_later');
    expect(subscriptionMrr(upgraded, daysFromNow(-50), policy())).toBe(9900);
  });

  it('counts subscriptions by basis and customers by the tier they were on then', () => {
    const mapping = { tiers: ['starter', 'business'], byId: {} };
    const then = computeTotals(snapshot([upgraded]), daysFromNow(-20), policy(), mapping, []);
    expect(Object.fromEntries(then.itemBases)).toEqual({ invoice_lines: 1 });
    expect(Object.fromEntries(then.customersByTier)).toEqual({ 'starter|usd': 1 });
    const now = computeTotals(snapshot([upgraded]), NOW, policy(), mapping, []);
    expect(Object.fromEntries(now.customersByTier)).toEqual({ 'business|usd': 1 });
  });
});

describe('status at an instant', () => {
  it('is absent before the start, canceled from the end, trialing before the trial ends', () => {
    const sub = subscription({
      status: 'canceled',
      startedAt: daysFromNow(-60),
      trialEnd: daysFromNow(-46),
      endedAt: daysFromNow(-5),
    });
    expect(statusAt(sub, daysFromNow(-61))).toBeUndefined();
    expect(statusAt(sub, daysFromNow(-50))).toBe('trialing');
    expect(statusAt(sub, daysFromNow(-20))).toBe('active');
    expect(statusAt(sub, NOW)).toBe('canceled');
  });

  it('is past due only from when payment began failing, and the current status now', () => {
    const sub = subscription({ status: 'past_due', pastDueSince: daysFromNow(-3) });
    expect(statusAt(sub, daysFromNow(-10))).toBe('active');
    expect(statusAt(sub, NOW)).toBe('past_due');
    expect(statusAt(subscription({ status: 'paused' }), NOW)).toBe('paused');
  });
});
