import type { ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { cronLogger } from '../logger.js';
import { scheduleCron } from '../shared/cron.js';
import type { CollectorRunner } from './runner.js';

/** One cron task per runner; a run that is still going when the next is due is skipped. */
export function scheduleRunners(
  runners: readonly CollectorRunner[],
  log: Logger,
): () => Promise<void> {
  const tasks: ScheduledTask[] = runners.map((runner) =>
    scheduleCron(
      runner.settings.schedule,
      async () => {
        await runner.run();
      },
      {
        name: runner.collector.name,
        noOverlap: true,
        logger: cronLogger(log.child({ collector: runner.collector.name })),
      },
    ),
  );
  log.info(
    { collectors: runners.map((r) => `${r.collector.name}@${r.settings.schedule}`) },
    'schedules started',
  );
  return async () => {
    await Promise.all(tasks.map((task) => task.destroy()));
  };
}
