import { describe, expect, it } from 'vitest';
import { npsScore } from './nps.js';

describe('npsScore', () => {
  it('is undefined (null) without responses', () => {
    expect(npsScore({ promoters: 0, passives: 0, detractors: 0 })).toBeNull();
  });

  it.each([
    // Only promoters: 100% − 0%.
    [{ promoters: 12, passives: 0, detractors: 0 }, 100],
    // Only detractors: 0% − 100%.
    [{ promoters: 0, passives: 0, detractors: 7 }, -100],
    // Only passives: 0% − 0%.
    [{ promoters: 0, passives: 4, detractors: 0 }, 0],
    // 5 of 10 promoters (50%), 2 of 10 detractors (20%): 50 − 20 = 30.
    [{ promoters: 5, passives: 3, detractors: 2 }, 30],
    // 10 of 40 promoters (25%), 16 of 40 detractors (40%): 25 − 40 = −15.
    [{ promoters: 10, passives: 14, detractors: 16 }, -15],
  ])('scores %j as %d', (counts, expected) => {
    expect(npsScore(counts)).toBe(expected);
  });

  it('does not round: 2 promoters and 1 detractor of 3 is 33.33…', () => {
    // (2 − 1) / 3 × 100 = 33.333…
    expect(npsScore({ promoters: 2, passives: 0, detractors: 1 })).toBeCloseTo(100 / 3, 10);
  });
});
