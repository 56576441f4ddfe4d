import { describe, expect, it } from 'vitest';
import {
  addCounts,
  countersFromTotals,
  type EventCounterDefinition,
  type EventCounts,
  type EventGroupRow,
  groupKey,
  mergeRecount,
} from './event-counts.js';

/** Totals built from [event, properties, count] triples. */
function totalsOf(entries: [string, (string | null)[], number][]): EventCounts {
  return new Map(entries.map(([event, properties, count]) => [groupKey(event, properties), count]));
}

function row(event: string, properties: (string | null)[], count: number): EventGroupRow {
  return { event, properties, count };
}

describe('addCounts', () => {
  it('adds new counts to existing totals and creates missing keys', () => {
    const totals = totalsOf([['signed_up', ['paid'], 5]]);
    addCounts(totals, [row('signed_up', ['paid'], 2), row('signed_up', ['organic'], 3)]);
    expect(totals).toEqual(
      totalsOf([
        ['signed_up', ['paid'], 7],
        ['signed_up', ['organic'], 3],
      ]),
    );
  });

  it('adds rows with the same key within one batch', () => {
    const totals: EventCounts = new Map();
    addCounts(totals, [row('logged_in', [], 1), row('logged_in', [], 4)]);
    expect(totals).toEqual(totalsOf([['logged_in', [], 5]]));
  });

  it('keeps a NULL property apart from the string "null"', () => {
    const totals: EventCounts = new Map();
    addCounts(totals, [row('signed_up', [null], 1), row('signed_up', ['null'], 2)]);
    expect(totals.size).toBe(2);
  });
});

describe('mergeRecount', () => {
  it.each([
    ['raises a lower total', 5, 8, 8],
    ['never lowers a higher total', 8, 5, 8],
    ['leaves an equal total alone', 6, 6, 6],
  ])('%s (%d, recount %d → %d)', (_, before, recounted, after) => {
    const totals = totalsOf([['activated', [], before]]);
    mergeRecount(totals, [row('activated', [], recounted)]);
    expect(totals.get(groupKey('activated', []))).toBe(after);
  });

  it('adds keys the totals did not have and keeps keys the recount did not see', () => {
    const totals = totalsOf([['signed_up', ['paid'], 4]]);
    mergeRecount(totals, [row('signed_up', ['social'], 2)]);
    expect(totals).toEqual(
      totalsOf([
        ['signed_up', ['paid'], 4],
        ['signed_up', ['social'], 2],
      ]),
    );
  });
});

describe('countersFromTotals', () => {
  const byChannel: EventCounterDefinition = {
    metric: 'chom_users_signups_total',
    event: 'signed_up',
    label: { name: 'channel', property: 'channel', vocabulary: ['organic', 'paid'] },
  };
  const signups: EventCounterDefinition = {
    metric: 'chom_funnel_signups_total',
    event: 'signed_up',
  };

  it('lists every vocabulary value at zero before any event', () => {
    expect(countersFromTotals(new Map(), [byChannel], ['channel'])).toEqual([
      { metric: byChannel.metric, labels: { channel: 'organic' }, value: 0 },
      { metric: byChannel.metric, labels: { channel: 'paid' }, value: 0 },
    ]);
  });

  it('lists an unlabelled counter at zero before any event', () => {
    expect(countersFromTotals(new Map(), [signups], [])).toEqual([
      { metric: signups.metric, labels: {}, value: 0 },
    ]);
  });

  it('maps property values onto the vocabulary and sums unknown and missing ones under other', () => {
    const totals = totalsOf([
      ['signed_up', ['Paid'], 4],
      ['signed_up', ['paid'], 1],
      ['signed_up', ['tiktok'], 2],
      ['signed_up', [null], 3],
    ]);
    expect(countersFromTotals(totals, [byChannel], ['channel'])).toEqual([
      { metric: byChannel.metric, labels: { channel: 'organic' }, value: 0 },
      { metric: byChannel.metric, labels: { channel: 'paid' }, value: 5 },
      { metric: byChannel.metric, labels: { channel: 'other' }, value: 5 },
    ]);
  });

  it('sums every property combination into an unlabelled counter', () => {
    const totals = totalsOf([
      ['signed_up', ['paid'], 4],
      ['signed_up', [null], 3],
    ]);
    expect(countersFromTotals(totals, [signups], ['channel'])).toEqual([
      { metric: signups.metric, labels: {}, value: 7 },
    ]);
  });

  it('feeds one event into every definition that reads it', () => {
    const totals = totalsOf([
      ['signed_up', ['paid'], 4],
      ['signed_up', ['organic'], 6],
    ]);
    const counters = countersFromTotals(totals, [signups, byChannel], ['channel']);
    expect(counters).toEqual(
      expect.arrayContaining([
        { metric: signups.metric, labels: {}, value: 10 },
        { metric: byChannel.metric, labels: { channel: 'paid' }, value: 4 },
        { metric: byChannel.metric, labels: { channel: 'organic' }, value: 6 },
      ]),
    );
    expect(counters).toHaveLength(3);
  });

  it('reads the label from the position of its property among several', () => {
    const byFeature: EventCounterDefinition = {
      metric: 'chom_feature_usage_total',
      event: 'feature_used',
      label: { name: 'feature', property: 'feature', vocabulary: ['api', 'reports'] },
    };
    const totals = totalsOf([['feature_used', ['paid', 'reports'], 3]]);
    const counters = countersFromTotals(totals, [byFeature], ['channel', 'feature']);
    expect(counters).toEqual([
      { metric: byFeature.metric, labels: { feature: 'api' }, value: 0 },
      { metric: byFeature.metric, labels: { feature: 'reports' }, value: 3 },
    ]);
  });

  it('ignores events no definition reads', () => {
    const totals = totalsOf([['page_viewed', ['paid'], 9]]);
    expect(countersFromTotals(totals, [signups], ['channel'])).toEqual([
      { metric: signups.metric, labels: {}, value: 0 },
    ]);
  });
});
