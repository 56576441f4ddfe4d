import type { Logger } from 'pino';
import { isSelected } from '../config/collector-selection.js';
import type { BaseConfig } from '../config/schema.js';
import { customSqlCollectors } from '../collectors/custom-sql.js';
import { collectors as allCollectors } from '../collectors/index.js';
import { CollectorRunner, type RunnerDeps } from './runner.js';
import type { AnyCollector, CollectorRuntimeSettings } from '../collectors/types.js';

/** A collector that runs under a configuration, with its effective settings and options. */
export interface EnabledCollector {
  readonly collector: AnyCollector;
  readonly settings: CollectorRuntimeSettings;
  readonly options: unknown;
}

/**
 * The collectors that run: built-in ones that are enabled and, when
 * `collectors.only` is set, listed there; and every custom query.
 */
export function enabledCollectors(
  config: BaseConfig,
  collectors: readonly AnyCollector[] = allCollectors,
): EnabledCollector[] {
  const settingsByName = config.collectors as Record<string, Record<string, unknown> | undefined>;
  const builtIn = collectors.filter((collector) => isSelected(config.collectors, collector.name));
  // Custom queries carry their schedule and timeout as their collector's defaults.
  return [...builtIn, ...customSqlCollectors(config.custom)].map((collector) => {
    const { enabled, schedule, timeoutSeconds, ...options } = settingsByName[collector.name] ?? {};
    return {
      collector,
      settings: {
        enabled: true,
        schedule: (schedule as string | undefined) ?? collector.defaultSchedule,
        timeoutSeconds: (timeoutSeconds as number | undefined) ?? collector.defaultTimeoutSeconds,
      },
      options: collector.optionsSchema.parse(options),
    };
  });
}

/**
 * Whether a collector that runs reads the app database: analytics collectors
 * read it only when the events have no database of their own. Without a
 * database URL, this is what starts demo mode.
 */
export function readsAppDatabase(
  config: BaseConfig,
  collectors: readonly AnyCollector[] = allCollectors,
): boolean {
  return enabledCollectors(config, collectors).some(({ collector, options }) => {
    const readsDatabase = collector.readsDatabase?.(options) ?? collector.source !== 'config';
    return readsDatabase && (collector.source !== 'analytics' || !config.events.url);
  });
}

/** The runners for the enabled collectors and custom queries, with their effective settings. */
export function createRunners(
  config: BaseConfig,
  deps: Omit<RunnerDeps, 'labelSets' | 'kpi'>,
  collectors: readonly AnyCollector[] = allCollectors,
): CollectorRunner[] {
  return enabledCollectors(config, collectors).map(
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
