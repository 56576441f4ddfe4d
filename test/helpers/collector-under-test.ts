import pino from 'pino';
import { parseConfig } from '../../src/app/config.js';
import { closeSources } from '../../src/app/create-sources.js';
import { buildSources } from '../../src/app/service.js';
import { type EvaluationDeps, evaluationDeps } from '../../src/backfill/evaluate.js';
import { enabledCollectors } from '../../src/collectors/enabled.js';
import type { Sources } from '../../src/collectors/sources.js';
import type { EnabledCollector } from '../../src/collectors/types.js';

/**
 * One collector, enabled with the options each test gives, and what evaluating
 * it needs, against one database. The sources are built once, from the first
 * options (their pools do not depend on a collector's options), and closed by `close`.
 */
export function collectorUnderTest(
  collector: string,
  databaseUrl: () => string,
): {
  setUp(options: Record<string, unknown>): { enabled: EnabledCollector; deps: EvaluationDeps };
  close(): Promise<void>;
} {
  let sources: Sources | undefined;
  return {
    setUp(options) {
      const config = parseConfig({ collectors: { [collector]: options } });
      sources ??= buildSources(config, { url: databaseUrl() }, pino({ level: 'silent' }));
      const enabled = enabledCollectors(config).find((e) => e.collector.name === collector);
      if (!enabled) throw new Error(`${collector} is not enabled`);
      return { enabled, deps: evaluationDeps(config, sources, pino({ level: 'silent' })) };
    },
    async close() {
      if (sources) await closeSources(sources);
    },
  };
}
