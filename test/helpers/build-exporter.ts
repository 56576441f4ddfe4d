import pino from 'pino';
import { collectors } from '../../src/collectors/index.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { Exporter } from '../../src/exporter.js';
import { closeSources, createSources } from '../../src/sources/create-sources.js';
import { stripeFromConfig } from '../../src/sources/stripe-from-config.js';

/** An exporter on `url` with config overrides and a silent logger; close it in afterEach/afterAll. */
export function buildTestExporter(url: string, raw: Record<string, unknown> = {}) {
  const config: Config = parseConfig({
    ...raw,
    database: { url, ...((raw.database as object) ?? {}) },
  });
  const log = pino({ level: 'silent' });
  const sources = createSources(config, url, { stripe: stripeFromConfig(config, log) });
  const exporter = new Exporter(config, sources, log);
  return {
    config,
    exporter,
    async close() {
      await exporter.stop();
      await closeSources(sources);
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
