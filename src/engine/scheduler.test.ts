import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CollectorRunner } from './runner.js';
import { scheduleRunners } from './scheduler.js';

/** A runner every second whose runs last longer than that, so node-cron skips ticks and says so. */
function slowRunner(name: string, runs: { count: number }): CollectorRunner {
  return {
    collector: { name },
    settings: { schedule: '* * * * * *' },
    run: async () => {
      runs.count += 1;
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      return true;
    },
  } as unknown as CollectorRunner;
}

function capture(level: string) {
  const lines: { level: number; msg: string; collector?: string }[] = [];
  const log = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

const overlapWarning = /overlap/;

describe('scheduleRunners', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("sends node-cron's warnings through the service logger, at its level, not to the console", async () => {
    const consoleWarn = vi.spyOn(console, 'warn');
    const verbose = capture('warn');
    const quiet = capture('error');
    const runs = { count: 0 };
    const stops = [
      scheduleRunners([slowRunner('shown', runs)], verbose.log),
      scheduleRunners([slowRunner('hidden', runs)], quiet.log),
    ];
    try {
      const deadline = Date.now() + 15_000;
      while (!verbose.lines.some((line) => overlapWarning.test(line.msg))) {
        if (Date.now() > deadline) throw new Error('node-cron never reported the skipped tick');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await Promise.all(stops.map((stop) => stop()));
    }
    const warning = verbose.lines.find((line) => overlapWarning.test(line.msg));
    expect(warning).toMatchObject({ level: 40, collector: 'shown' });
    // log.level error: the same warning is not written at all.
    expect(quiet.lines.filter((line) => overlapWarning.test(line.msg))).toEqual([]);
    expect(consoleWarn).not.toHaveBeenCalled();
  }, 30_000);
});
