import { describe, expect, it } from 'vitest';
import { countByBand, healthBand, healthBands, lowestScores } from './health-score.js';

describe('healthBand', () => {
  it.each([
    [0, 'critical'],
    [39.99, 'critical'],
    [40, 'at_risk'],
    [59.99, 'at_risk'],
    [60, 'healthy'],
    [79.99, 'healthy'],
    [80, 'excellent'],
    [100, 'excellent'],
  ])('puts %d in %s', (score, band) => {
    expect(healthBand(score)).toBe(band);
  });
});

describe('lowestScores', () => {
  const scores = [
    { organization: 'delta', score: 70 },
    { organization: 'alpha', score: 20 },
    { organization: 'echo', score: 55 },
    { organization: 'bravo', score: 20 },
    { organization: 'charlie', score: 90 },
  ];

  it('keeps the `cap` lowest scores, lowest first', () => {
    expect(lowestScores(scores, 3)).toEqual([
      { organization: 'alpha', score: 20 },
      { organization: 'bravo', score: 20 },
      { organization: 'echo', score: 55 },
    ]);
  });

  it('breaks ties at the cap by organization name', () => {
    expect(lowestScores(scores, 1)).toEqual([{ organization: 'alpha', score: 20 }]);
  });

  it('returns the same list whatever the input order', () => {
    const expected = lowestScores(scores, 4);
    for (const permutation of [
      [...scores].reverse(),
      [...scores.slice(2), ...scores.slice(0, 2)],
    ]) {
      expect(lowestScores(permutation, 4)).toEqual(expected);
    }
  });

  it.each([
    [0, 0],
    [5, 5],
    [50, 5],
  ])('with cap %d returns %d organizations', (cap, length) => {
    expect(lowestScores(scores, cap)).toHaveLength(length);
  });

  it('does not reorder its input', () => {
    const input = [...scores];
    lowestScores(input, 2);
    expect(input).toEqual(scores);
  });
});

describe('countByBand', () => {
  it('lists every band with zero when there are no organizations', () => {
    expect(countByBand([])).toEqual({ critical: 0, at_risk: 0, healthy: 0, excellent: 0 });
    expect(Object.keys(countByBand([])).sort()).toEqual([...healthBands].sort());
  });

  it('counts organizations per band, keeping empty bands at zero', () => {
    const counts = countByBand([
      { organization: 'a', score: 10 },
      { organization: 'b', score: 39.99 },
      { organization: 'c', score: 80 },
      { organization: 'd', score: 99 },
      { organization: 'e', score: 100 },
    ]);
    expect(counts).toEqual({ critical: 2, at_risk: 0, healthy: 0, excellent: 3 });
  });
});
