import pino, { type Logger } from 'pino';
import { collectors } from '../../src/collectors/index.js';
import { parseConfig } from '../../src/app/config.js';
import type { Config } from '../../src/app/config.js';
import { Exporter } from '../../src/engine/exporter.js';
import { closeSources, createSources } from '../../src/app/create-sources.js';
import type { Sources } from '../../src/collectors/sources.js';
import { stripeFromConfig } from '../../src/billing/stripe-from-config.js';

/**
 * An exporter on `url` with config overrides and a silent logger (or `log`);
 * close it in afterEach/afterAll.
 */
export function buildTestExporter(
  url: string,
  raw: Record<string, unknown> = {},
  log: Logger = pino({ level: 'silent' }),
) {
  const configFor = (next: Record<string, unknown>): Config =>
    parseConfig({ ...next, database: { url, ...((next.database as object) ?? {}) } });
  const sourcesFor = (config: Config) =>
    createSources(config, url, { stripe: stripeFromConfig(config, log) });
  const config = configFor(raw);
  const sources: Sources[] = [sourcesFor(config)];
  const exporter = new Exporter(config, sources[0] as Sources, log);
  return {
    config,
    exporter,
    /** Swaps in a configuration built from `next`, as a reload does (sources are recreated too). */
    async reload(next: Record<string, unknown>) {
      const nextConfig = configFor(next);
      const nextSources = sourcesFor(nextConfig);
      sources.push(nextSources);
      await exporter.reconfigure(nextConfig, nextSources);
    },
    async close() {
      await exporter.stop();
      await Promise.all(sources.map((each) => closeSources(each)));
    },
  };
}

/** Collector settings that enable only the named collectors (the rest disabled). */
export function onlyCollectors(...names: string[]): Record<string, { enabled: false }> {
  return Object.fromEntries(
    collectors
      .filter((c) => !names.includes(c.name))
      .map((c) => [c.name, { enabled: false as const }]),
  );
}
