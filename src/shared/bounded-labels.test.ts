import { describe, expect, it } from 'vitest';
import { boundCurrency, boundLabel, OTHER, sumByKey } from './bounded-labels.js';

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

describe('boundLabel spelling variants', () => {
  it.each(['team invites', 'Team-Invites', ' TEAM_INVITES '])('%j matches team_invites', (raw) => {
    expect(boundLabel(raw, ['dashboards', 'team_invites'])).toBe('team_invites');
  });
});
