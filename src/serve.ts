import type { Logger } from 'pino';
import type { Config } from './config/schema.js';
import { migrate } from './db/migrate.js';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './demo/embedded-database.js';
import { seedDemoData } from './demo/seed.js';
import { Exporter } from './exporter.js';
import { buildApp } from './http/app.js';
import { closeSources, createSources } from './sources/create-sources.js';
import { stripeFromConfig } from './sources/stripe-from-config.js';

export interface RunningService {
  readonly url: string;
  readonly exporter: Exporter;
  close(): Promise<void>;
}

const demoNotice =
  'DEMO MODE: serving synthetic demo data from an embedded PostgreSQL. ' +
  'Set CHOM_DATABASE_URL (or database.url in the config file) to read your own database.';

/** Starts the embedded demo database when no database is configured. */
export async function resolveDatabase(
  config: Config,
  log: Logger,
): Promise<{ url: string; demo?: EmbeddedDatabase }> {
  if (config.database.url) return { url: config.database.url };
  log.warn(demoNotice);
  const started = Date.now();
  const demo = await startEmbeddedDatabase({
    dataDir: config.demo.dataDir,
    port: config.demo.port,
  });
  try {
    await migrate(demo.url);
    const seeded = await seedDemoData(demo.url);
    log.info({ seconds: (Date.now() - started) / 1000, seeded }, 'demo database ready');
    return { url: demo.url, demo };
  } catch (error) {
    await demo.stop().catch(() => {});
    throw error;
  }
}

/** Starts the whole service: database (or demo), collectors, schedules and HTTP. */
export async function startService(config: Config, log: Logger): Promise<RunningService> {
  const { url, demo } = await resolveDatabase(config, log);
  // In demo mode the exporter owns the embedded database, so billing month openings are recorded there.
  const sources = createSources(config, url, {
    ...(demo ? { stateUrl: demo.url } : {}),
    stripe: stripeFromConfig(config, log),
  });
  const exporter = new Exporter(config, sources, log);
  const app = buildApp({ exporter, logger: log, ...(demo ? { notice: demoNotice } : {}) });
  const address = await app.listen({ host: config.server.host, port: config.server.port });
  log.info({ address }, 'listening; first collection round started');
  void exporter.start();
  let closing: Promise<void> | undefined;
  return {
    url: address,
    exporter,
    close() {
      closing ??= (async () => {
        await app.close();
        await exporter.stop();
        await closeSources(sources);
        await demo?.stop();
      })();
      return closing;
    },
  };
}
