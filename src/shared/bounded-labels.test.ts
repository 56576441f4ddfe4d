import { describe, expect, it } from 'vitest';
import { boundCurrency, boundLabel, meanByKey, OTHER, sumByKey } from './bounded-labels.js';

describe('boundLabel', () => {
  const vocabulary = ['organic', 'paid', 'LinkedIn'];

  it.each([
    ['paid', 'paid'],
    ['PAID', 'paid'],
    ['  Paid ', 'paid'],
    ['linkedin', 'LinkedIn'],
    ['LINKEDIN\t', 'LinkedIn'],
  ])('maps %j onto the vocabulary spelling %j', (raw, expected) => {
    expect(boundLabel(raw, vocabulary)).toBe(expected);
  });

  it.each([
    ['an unknown value', 'tiktok'],
    ['a value that only contains a known one', 'paid-search'],
    ['an empty string', ''],
    ['null', null],
    ['undefined', undefined],
  ])('maps %s to other', (_, raw) => {
    expect(boundLabel(raw, vocabulary)).toBe(OTHER);
  });

  it('uses "other" as the catch-all value', () => {
    expect(OTHER).toBe('other');
  });
});

describe('boundCurrency', () => {
  it.each([
    ['USD', 'USD'],
    ['usd', 'USD'],
    [' eur ', 'EUR'],
  ])('passes the ISO 4217 code %j as %j', (raw, expected) => {
    expect(boundCurrency(raw)).toBe(expected);
  });

  it.each([['US'], ['USDT'], ['U$D'], ['E1R'], [''], [null], [undefined]])(
    'maps %j to other',
    (raw) => {
      expect(boundCurrency(raw)).toBe(OTHER);
    },
  );
});

describe('sumByKey', () => {
  it('sums entries with the same labels, whatever the key order', () => {
    const summed = sumByKey([
      { labels: { channel: 'paid', currency: 'USD' }, value: 1 },
      { labels: { currency: 'USD', channel: 'paid' }, value: 2 },
      { labels: { channel: 'paid', currency: 'EUR' }, value: 5 },
    ]);
    expect(summed).toEqual([
      { labels: { channel: 'paid', currency: 'USD' }, value: 3 },
      { labels: { channel: 'paid', currency: 'EUR' }, value: 5 },
    ]);
  });

  it('folds several unknown values bounded to other into one entry', () => {
    const raw = [
      { channel: 'tiktok', value: 2 },
      { channel: 'paid', value: 4 },
      { channel: 'myspace', value: 3 },
    ];
    const summed = sumByKey(
      raw.map(({ channel, value }) => ({
        labels: { channel: boundLabel(channel, ['paid']) },
        value,
      })),
    );
    expect(summed).toEqual([
      { labels: { channel: 'other' }, value: 5 },
      { labels: { channel: 'paid' }, value: 4 },
    ]);
  });

  it('does not change the entries it is given', () => {
    const entries = [
      { labels: { a: 'x' }, value: 1 },
      { labels: { a: 'x' }, value: 2 },
    ];
    sumByKey(entries);
    expect(entries.map((entry) => entry.value)).toEqual([1, 2]);
  });

  it('returns nothing for no entries', () => {
    expect(sumByKey([])).toEqual([]);
  });
});

describe('meanByKey', () => {
  const priority = (raw: string) => ({ priority: boundLabel(raw, ['high', 'low']) });

  it('merges means bounded to one label set into the mean over all their rows', () => {
    // high: 2 rows of mean 10 and 6 rows of mean 30 → (20 + 180) / 8; other: 1 of 7 and 3 of 3.
    const { means, unmerged } = meanByKey([
      { labels: priority('high'), mean: 10, weight: 2 },
      { labels: priority('HIGH '), mean: 30, weight: 6 },
      { labels: priority('low'), mean: 4, weight: 5 },
      { labels: priority('urgent'), mean: 7, weight: 1 },
      { labels: priority('blocker'), mean: 3, weight: 3 },
    ]);
    expect(means).toEqual([
      { labels: { priority: 'high' }, value: 25 },
      { labels: { priority: 'low' }, value: 4 },
      { labels: { priority: 'other' }, value: 4 },
    ]);
    expect(unmerged).toEqual([]);
  });

  it('keeps a label set reached once as it is, with or without a weight', () => {
    const { means } = meanByKey([
      { labels: { priority: 'high' }, mean: 0.1 + 0.2, weight: 3 },
      { labels: { priority: 'low' }, mean: 9, weight: undefined },
    ]);
    expect(means).toEqual([
      { labels: { priority: 'high' }, value: 0.1 + 0.2 },
      { labels: { priority: 'low' }, value: 9 },
    ]);
  });

  it.each([
    ['a weight is missing', [2, undefined]],
    ['a weight is negative', [3, -1]],
    ['the weights sum to zero', [0, 0]],
  ])('gives no mean for several entries when %s, and lists them', (_, [a, b]) => {
    const { means, unmerged } = meanByKey([
      { labels: { priority: 'high' }, mean: 10, weight: a },
      { labels: { priority: 'high' }, mean: 30, weight: b },
      { labels: { priority: 'low' }, mean: 4, weight: undefined },
    ]);
    expect(means).toEqual([{ labels: { priority: 'low' }, value: 4 }]);
    expect(unmerged).toEqual([{ labels: { priority: 'high' }, entries: 2 }]);
  });

  it('counts a zero weight as no rows among positive ones', () => {
    const { means } = meanByKey([
      { labels: { priority: 'high' }, mean: 10, weight: 0 },
      { labels: { priority: 'high' }, mean: 30, weight: 2 },
    ]);
    expect(means).toEqual([{ labels: { priority: 'high' }, value: 30 }]);
  });
});

describe('boundLabel spelling variants', () => {
  it.each(['team invites', 'Team-Invites', ' TEAM_INVITES '])('%j matches team_invites', (raw) => {
    expect(boundLabel(raw, ['dashboards', 'team_invites'])).toBe('team_invites');
  });
});
