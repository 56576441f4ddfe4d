/*
 * Every use of node-cron in one module: validating an expression (config),
 * the interval it implies (staleness alerts) and scheduling a task (engine).
 */
import cron, { createTask, type ScheduledTask, type TaskOptions } from 'node-cron';
import { z } from 'zod';

/** A node-cron expression: 5 fields, or 6 with seconds first. */
export const cronExpression = z.string().refine((value) => cron.validate(value), {
  message: 'expected a cron expression such as "*/5 * * * *" (with optional seconds field)',
});

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

/** Runs `task` on the cron `expression`; see node-cron's options (name, noOverlap, logger). */
export function scheduleCron(
  expression: string,
  task: () => Promise<void>,
  options: TaskOptions,
): ScheduledTask {
  return cron.schedule(expression, task, options);
}
