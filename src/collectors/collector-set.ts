import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { customSqlCollectors } from './custom-sql.js';
import { collectors as allCollectors } from './index.js';
import { CollectorRunner, type RunnerDeps } from './runner.js';
import type { AnyCollector } from './types.js';

/** The runners for the enabled collectors and custom queries, with their effective settings. */
export function createRunners(
  config: Config,
  deps: Omit<RunnerDeps, 'labelSets' | 'kpi'>,
  collectors: readonly AnyCollector[] = allCollectors,
): CollectorRunner[] {
  const settingsByName = config.collectors as Record<string, Record<string, unknown> | undefined>;
  // Custom queries carry their schedule and timeout as their collector's defaults.
  return [...collectors, ...customSqlCollectors(config.custom)].flatMap((collector) => {
    const {
      enabled = true,
      schedule,
      timeoutSeconds,
      ...options
    } = settingsByName[collector.name] ?? {};
    if (enabled === false) return [];
    const parsedOptions = collector.optionsSchema.parse(options);
    return [
      new CollectorRunner(
        collector,
        {
          enabled: true,
          schedule: (schedule as string | undefined) ?? collector.defaultSchedule,
          timeoutSeconds: (timeoutSeconds as number | undefined) ?? collector.defaultTimeoutSeconds,
        },
        parsedOptions,
        {
          ...deps,
          labelSets: config.labels,
          kpi: config.kpi,
          stateScope: stateScope(config, collector),
        },
      ),
    ];
  });
}

/**
 * The database a collector's state is about. Without a URL (demo mode) it is
 * the embedded database, the same across reloads.
 */
function stateScope(config: Config, collector: AnyCollector): string {
  const app = config.database.url ?? 'demo';
  if (collector.source === 'analytics') return config.events.url ?? app;
  return collector.source === 'postgres' ? app : collector.source;
}

/** Runs every collector once, concurrently; resolves when all have finished. */
export async function runAll(runners: readonly CollectorRunner[], log: Logger): Promise<number> {
  const results = await Promise.all(runners.map((runner) => runner.run()));
  const failed = results.filter((ok) => !ok).length;
  log.info({ collectors: runners.length, failed }, 'collection round finished');
  return failed;
}
