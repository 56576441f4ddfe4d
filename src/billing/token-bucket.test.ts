import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spaces starts evenly at the configured rate, without a burst', async () => {
    // Fake clock and timers: the schedule is exact and independent of machine load.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const bucket = new TokenBucket(5);
    const starts: number[] = [];
    const signal = new AbortController().signal;
    const taking = (async () => {
      for (let i = 0; i < 4; i++) {
        await bucket.take(signal);
        starts.push(performance.now());
      }
    })();
    await vi.advanceTimersByTimeAsync(1000);
    await taking;
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
    // 5 per second: one start every 200 ms, the first at once.
    expect(gaps).toHaveLength(3);
    for (const gap of gaps) expect(gap).toBeCloseTo(200, 6);
  });

  it('stops waiting when the signal fires', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const bucket = new TokenBucket(1);
    const controller = new AbortController();
    await bucket.take(controller.signal);
    const waiting = bucket.take(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new TokenBucket(0)).toThrow('positive rate');
  });
});
