import { isSelected } from '../config/collector-selection.js';
import type { BaseConfig } from '../config/schema.js';
import { customSqlCollectors } from './custom-sql.js';
import { collectors as registeredCollectors } from './index.js';
import type { AnyCollector, EnabledCollector } from './types.js';

/**
 * The collectors that run: built-in ones that are enabled and, when
 * `collectors.only` is set, listed there; and every custom query.
 */
export function enabledCollectors(
  config: BaseConfig,
  collectors: readonly AnyCollector[] = registeredCollectors,
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
  collectors: readonly AnyCollector[] = registeredCollectors,
): boolean {
  return enabledCollectors(config, collectors).some(({ collector, options }) => {
    const readsDatabase = collector.readsDatabase?.(options) ?? collector.source !== 'config';
    return readsDatabase && (collector.source !== 'analytics' || !config.events.url);
  });
}
