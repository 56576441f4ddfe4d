/**
 * Progress on stderr: a bar redrawn in place on a terminal, a plain line every
 * `intervalMs` otherwise (a log file or a container's log must not fill with
 * carriage returns). Hand-written: a dozen lines do what a progress library
 * would, without a dependency.
 */
export class Progress {
  private readonly started = Date.now();
  private lastLine = 0;
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 10_000,
    /** Steps already done by an earlier run (not counted in the rate). */
    private readonly resumedAt = 0,
  ) {
    this.done = resumedAt;
  }

  update(done: number): void {
    this.done = done;
    const now = Date.now();
    if (this.out.isTTY) {
      this.out.write(`\r${this.line(now)}\x1b[K`);
    } else if (now - this.lastLine >= this.intervalMs || done === this.total) {
      this.lastLine = now;
      this.out.write(`${this.line(now)}\n`);
    }
  }

  /** Ends the bar's line on a terminal. */
  finish(): void {
    if (this.out.isTTY) this.out.write(`\r${this.line(Date.now())}\x1b[K\n`);
  }

  line(now: number): string {
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = (this.done - this.resumedAt) / seconds;
    const left = rate > 0 ? (this.total - this.done) / rate : Number.NaN;
    const share = this.total > 0 ? this.done / this.total : 1;
    const width = 30;
    const filled = Math.round(share * width);
    const bar = this.out.isTTY ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    return `backfill ${bar}${this.done}/${this.total} steps (${Math.floor(share * 100)}%), ${rate.toFixed(1)} steps/s, ${formatLeft(left)} left`;
  }
}

function formatLeft(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 90) return `${Math.ceil(seconds)}s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}
