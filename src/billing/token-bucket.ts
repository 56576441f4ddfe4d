import { sleep } from './abortable.js';

/**
 * A client-side throttle: at most `perSecond` starts per second. The bucket
 * holds one token, so requests are spaced evenly instead of bursting; Stripe's
 * limiter counts per second and bursts are what trip it.
 */
export class TokenBucket {
  private tokens = 1;
  private last = performance.now();

  constructor(private readonly perSecond: number) {
    if (!(perSecond > 0)) throw new Error('TokenBucket needs a positive rate');
  }

  /** Resolves when a request may start; rejects when the signal fires while waiting. */
  async take(signal: AbortSignal): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(1, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(((1 - this.tokens) / this.perSecond) * 1000, signal);
    }
  }
}
