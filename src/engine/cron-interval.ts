import { createTask } from 'node-cron';

/**
 * The longest gap between the next runs of a cron expression, in seconds: the
 * interval within which a healthy collector succeeds again. Used by the
 * staleness alert (no success for two intervals).
 */
export function cronIntervalSeconds(expression: string, samples = 8): number {
  const task = createTask(expression, () => {});
  try {
    const runs = task.getNextRuns(samples).map((date) => date.getTime());
    let longest = 0;
    for (let i = 1; i < runs.length; i++)
      longest = Math.max(longest, (runs[i] ?? 0) - (runs[i - 1] ?? 0));
    return longest / 1000;
  } finally {
    void task.destroy();
  }
}
