import pino, { type Logger } from 'pino';
import type { Config } from '../../src/app/config.js';
import { parseConfig } from '../../src/app/config.js';
import { serviceOn } from '../../src/app/service.js';
import { collectors } from '../../src/collectors/index.js';

/**
 * An exporter on `url` with config overrides and a silent logger (or `log`),
 * wired by the composition root as the service is; close it in afterEach/afterAll.
 */
export function buildTestExporter(
  url: string,
  raw: Record<string, unknown> = {},
  log: Logger = pino({ level: 'silent' }),
) {
  const configFor = (next: Record<string, unknown>): Config =>
    parseConfig({ ...next, database: { url, ...((next.database as object) ?? {}) } });
  const config = configFor(raw);
  const service = serviceOn(config, { url }, log);
  return {
    config,
    exporter: service.exporter,
    /** Billing's handler of verified Stripe webhook events, for buildApp's `webhook`. */
    webhook: service.billing.webhook,
    /** Swaps in a configuration built from `next`, as a reload does (sources are rebuilt too). */
    async reload(next: Record<string, unknown>) {
      await service.reconfigure(configFor(next));
    },
    close: () => service.close(),
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
