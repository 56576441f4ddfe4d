import { describe, expect, it } from 'vitest';
import { snapshotFromMirrorRows } from './mirror-source.js';

const base = {
  customers: [{ customer_id: '1', channel: 'paid' }],
  subscriptions: [
    {
      id: 's1',
      customer_id: '1',
      status: 'active',
      currency: 'USD',
      started_at: '2026-01-01T00:00:00Z',
      cancel_at_period_end: false,
    },
  ],
  discounts: [],
  invoices: [],
};

function itemWithTiers(tiers: unknown) {
  return {
    item_id: '1',
    subscription_id: 's1',
    quantity: 3,
    price_id: 'p1',
    product_id: 'prod',
    billing_scheme: 'tiered',
    tiers_mode: 'graduated',
    tiers,
    recurring_interval: 'month',
    interval_count: 1,
    usage_type: 'licensed',
  };
}

describe('snapshotFromMirrorRows', () => {
  it('reads Stripe\'s "inf" as the open-ended last tier', () => {
    const rejected: string[] = [];
    const snapshot = snapshotFromMirrorRows(
      {
        ...base,
        items: [
          itemWithTiers([
            { up_to: 1, unit_amount: 100 },
            { up_to: 'inf', unit_amount: 50 },
          ]),
        ],
      },
      (reason) => rejected.push(reason),
    );
    expect(rejected).toEqual([]);
    expect(snapshot.subscriptions[0]?.items[0]?.price.tiers).toEqual([
      { upTo: 1, unitAmount: 100, flatAmount: 0 },
      { upTo: null, unitAmount: 50, flatAmount: 0 },
    ]);
    expect(snapshot.subscriptions[0]?.currency).toBe('usd');
  });

  it('rejects a tier amount that is not a number, naming the field, and leaves the subscription out', () => {
    const rejected: Record<string, unknown>[] = [];
    const snapshot = snapshotFromMirrorRows(
      { ...base, items: [itemWithTiers([{ up_to: 'ten', unit_amount: 100 }])] },
      (_reason, detail) => rejected.push(detail),
    );
    expect(snapshot.subscriptions).toEqual([]);
    expect(String(rejected[0]?.error)).toContain('tiers.up_to is not a number ("ten")');
  });

  it('dates a past-due subscription by its invoices, else its period start, and rejects an unreadable invoice by name', () => {
    const pastDue = (id: string) => ({
      ...base.subscriptions[0],
      id,
      status: 'past_due',
      current_period_start: '2026-03-01T00:00:00Z',
    });
    const rejected: Record<string, unknown>[] = [];
    const snapshot = snapshotFromMirrorRows(
      {
        ...base,
        subscriptions: [pastDue('s_inv'), pastDue('s_none'), pastDue('s_bad')],
        items: [],
        invoices: [
          { subscription_id: 's_inv', status: 'open', created_at: '2026-03-01T00:00:00Z' },
          {
            subscription_id: 's_inv',
            status: 'open',
            created_at: '2026-02-01T00:00:00Z',
            due_at: '2026-02-01T01:00:00Z',
          },
          { subscription_id: 's_inv', status: 'paid', created_at: '2026-01-01T00:00:00Z' },
          { subscription_id: 's_bad', status: 'overdue', created_at: '2026-02-01T00:00:00Z' },
        ],
      },
      (_reason, detail) => rejected.push(detail),
    );
    const since = Object.fromEntries(snapshot.subscriptions.map((s) => [s.id, s.pastDueSince]));
    expect(since).toEqual({
      s_inv: new Date('2026-02-01T01:00:00Z'),
      s_none: new Date('2026-03-01T00:00:00Z'),
    });
    expect(rejected).toEqual([
      {
        subscription: 's_bad',
        error:
          'billing invoice of s_bad: status "overdue" is not one of draft, open, paid, uncollectible, void',
      },
    ]);
  });

  it('rejects an unknown status by name', () => {
    const rejected: Record<string, unknown>[] = [];
    const snapshot = snapshotFromMirrorRows(
      { ...base, subscriptions: [{ ...base.subscriptions[0], status: 'zombie' }], items: [] },
      (_reason, detail) => rejected.push(detail),
    );
    expect(snapshot.subscriptions).toEqual([]);
    expect(String(rejected[0]?.error)).toContain('status "zombie" is unknown');
  });
});
