import type { Logger } from 'pino';
import type { AnyCollector, EnabledCollector } from '../collectors/types.js';
import type { BaseConfig } from '../config/schema.js';
import { CollectorRunner, type RunnerDeps } from './runner.js';

/** The runners for the enabled collectors and custom queries, with their effective settings. */
export function createRunners(
  config: BaseConfig,
  deps: Omit<RunnerDeps, 'labelSets' | 'kpi'>,
  enabled: readonly EnabledCollector[],
): CollectorRunner[] {
  return enabled.map(
    ({ collector, settings, options }) =>
      new CollectorRunner(collector, settings, options, {
        ...deps,
        labelSets: config.labels,
        kpi: config.kpi,
        stateScope: stateScope(config, collector),
      }),
  );
}

/**
 * The database a collector's state is about. Without a URL (demo mode) it is
 * the embedded database, the same across reloads.
 */
function stateScope(config: BaseConfig, collector: AnyCollector): string {
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
