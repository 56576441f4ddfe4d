import { describe, expect, it } from 'vitest';
import { minorUnitsPerMajor, toMajorUnits } from './currency.js';

describe('toMajorUnits', () => {
  it.each([
    // JPY is zero-decimal: 5000 yen / 1 = 5000
    [5000, 'jpy', 5000],
    // USD: 5000 cents / 100 = 50
    [5000, 'usd', 50],
    // KWD has three decimals: 5000 fils / 1000 = 5
    [5000, 'kwd', 5],
    // EUR (not listed anywhere): 1234 / 100 = 12.34
    [1234, 'eur', 12.34],
  ])('converts %d minor units of %s to %d', (minor, currency, major) => {
    expect(toMajorUnits(minor, currency)).toBeCloseTo(major, 10);
  });

  it.each([
    ['JPY', 5000],
    ['Jpy', 5000],
    ['USD', 50],
    ['KWD', 5],
  ])('is case-insensitive (%s)', (currency, major) => {
    expect(toMajorUnits(5000, currency)).toBe(major);
  });

  it('keeps fractional minor units (half a cent)', () => {
    // 0.5 cents / 100 = 0.005 dollars
    expect(toMajorUnits(0.5, 'usd')).toBeCloseTo(0.005, 12);
  });
});

describe('minorUnitsPerMajor', () => {
  it.each([
    ['krw', 1],
    ['vnd', 1],
    ['bhd', 1000],
    ['omr', 1000],
    ['gbp', 100],
    ['chf', 100],
  ])('%s has %d minor units per major unit', (currency, perMajor) => {
    expect(minorUnitsPerMajor(currency)).toBe(perMajor);
  });
});
