/** Only `warn` is used, so Fastify's logger and pino's both fit. */
interface WarnLog {
  warn(fields: object, message: string): void;
}

/**
 * A warning anyone on the network can trigger (a webhook with a bad signature
 * needs no credentials), logged at a bounded rate: the first of each window
 * with its details, the others counted by outcome and reported in one line
 * when the window ends. A flood writes two lines a minute, not one per request,
 * and no refusal goes uncounted. The clock is a parameter so tests can move it.
 */
export class ThrottledWarning {
  private windowStart: number | undefined;
  private readonly suppressed = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: WarnLog,
    private readonly message: string,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(fields: { readonly outcome: string } & Record<string, unknown>): void {
    const now = this.now();
    if (this.windowStart !== undefined && now - this.windowStart < this.windowMs) {
      this.suppressed.set(fields.outcome, (this.suppressed.get(fields.outcome) ?? 0) + 1);
      return;
    }
    this.flush();
    this.windowStart = now;
    this.log.warn(fields, this.message);
    this.timer = setTimeout(() => this.flush(), this.windowMs);
    this.timer.unref();
  }

  /** Reports what the current window held back, if anything (also called on close). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.windowStart = undefined;
    if (this.suppressed.size === 0) return;
    const byOutcome = Object.fromEntries(this.suppressed);
    const count = [...this.suppressed.values()].reduce((sum, n) => sum + n, 0);
    this.suppressed.clear();
    this.log.warn(
      { suppressed: count, byOutcome, windowSeconds: this.windowMs / 1000 },
      `${this.message}: ${count} more within ${this.windowMs / 1000}s, not logged one by one`,
    );
  }
}
