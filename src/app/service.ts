import type { Logger } from 'pino';
import {
  type BillingSelfMetrics,
  createBillingSelfMetrics,
  observeStripe,
} from '../billing/billing-self-metrics.js';
import type { BillingSnapshotSource } from '../billing/billing-source.js';
import { stripeFromConfig } from '../billing/stripe-from-config.js';
import { type BillingWebhook, billingWebhook } from '../billing/webhook-events.js';
import { billingMrr } from '../collectors/billing-mrr.js';
import { enabledCollectors, readsAppDatabase } from '../collectors/enabled.js';
import { collectors as registeredCollectors } from '../collectors/index.js';
import type { Sources } from '../collectors/sources.js';
import type { AnyCollector } from '../collectors/types.js';
import { migrate } from '../db/migrate.js';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../demo/embedded-database.js';
import { seedDemoData } from '../demo/seed.js';
import { Exporter } from '../engine/exporter.js';
import type { Config } from './config.js';
import { closeSources, createSources } from './create-sources.js';

/*
 * The composition root: the one place that wires database → sources →
 * billing → exporter. serve, once, backfill, the test helpers and the benches
 * all build through here, so a new part is wired once.
 */

export const demoNotice =
  'DEMO MODE: serving synthetic demo data from an embedded PostgreSQL. ' +
  'Set CHOM_DATABASE_URL (or database.url in the config file) to read your own database.';

/** The app database the service reads: a URL, the embedded demo database, or none. */
export interface AppDatabase {
  readonly url?: string;
  readonly demo?: EmbeddedDatabase;
}

/**
 * Starts the embedded demo database when no database is configured and an
 * enabled collector reads one; with none reading it (Stripe-only), no database.
 */
export async function resolveDatabase(config: Config, log: Logger): Promise<AppDatabase> {
  if (config.database.url) return { url: config.database.url };
  if (!readsAppDatabase(config)) {
    log.info(
      'no enabled collector reads the app database: running without one, and without demo data',
    );
    return {};
  }
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

export interface SourceOptions {
  /** The sources in use (a reload): clients whose settings did not change are kept. */
  readonly previous?: Sources;
  /**
   * Record billing month openings in the demo database (default true: in demo
   * mode the exporter owns it). The backfill never writes, so it says false.
   */
  readonly demoState?: boolean;
  /** Wraps billing's Stripe source, when there is one (the backfill reads it once for every step). */
  readonly stripe?: (source: BillingSnapshotSource) => BillingSnapshotSource;
}

/** The database clients and billing's Stripe source for `config`, on the app database `appUrl`. */
export function buildSources(
  config: Config,
  database: AppDatabase,
  log: Logger,
  options: SourceOptions = {},
): Sources {
  const demoState = options.demoState ?? true;
  const stripe = stripeFromConfig(config, log);
  return createSources(
    config,
    database.url,
    {
      ...(database.demo && demoState ? { stateUrl: database.demo.url } : {}),
      stripe: stripe && options.stripe ? options.stripe(stripe) : stripe,
    },
    options.previous,
  );
}

/** Billing's parts that live beside the exporter: its counters and its webhook handler. */
export interface BillingParts {
  readonly metrics: BillingSelfMetrics;
  readonly webhook: BillingWebhook;
}

/**
 * The exporter over `sources`, with billing's counters on its registry and
 * its webhook handler bringing the billing run forward. `collectors`: the
 * registry's, unless a test or bench runs others.
 */
export function buildExporter(
  config: Config,
  sources: Sources,
  log: Logger,
  collectors: readonly AnyCollector[] = registeredCollectors,
): { exporter: Exporter; billing: BillingParts } {
  const exporter = new Exporter(config, sources, log, (next) =>
    enabledCollectors(next, collectors),
  );
  const metrics = createBillingSelfMetrics(exporter.registry);
  observeStripe(metrics, sources.stripe);
  const webhook = billingWebhook({
    stripe: () => exporter.sourceClients.stripe,
    refresh: (delayMs) => exporter.runSoon(billingMrr.name, delayMs),
    metrics,
    changed: () => exporter.registryChanged(),
  });
  return { exporter, billing: { metrics, webhook } };
}

/** The collection side of the service, built and ready to start. */
export interface Service {
  readonly exporter: Exporter;
  readonly billing: BillingParts;
  readonly database: AppDatabase;
  /**
   * Swaps in a new (validated) configuration: new sources, keeping the clients
   * whose settings did not change; the replaced ones are closed, their queries
   * cancelled, before the new collectors start.
   */
  reconfigure(next: Config): Promise<void>;
  /** Stops collection, closes the sources and the demo database. */
  close(): Promise<void>;
}

/** Wires sources, billing and the exporter on an app database already resolved. */
export function serviceOn(
  config: Config,
  database: AppDatabase,
  log: Logger,
  collectors: readonly AnyCollector[] = registeredCollectors,
): Service {
  const { exporter, billing } = buildExporter(
    config,
    buildSources(config, database, log),
    log,
    collectors,
  );
  return {
    exporter,
    billing,
    database,
    async reconfigure(next) {
      // A reload may name another database; the resolved one (demo) otherwise.
      const nextDatabase = { ...database, url: next.database.url ?? database.url };
      const nextSources = buildSources(next, nextDatabase, log, {
        previous: exporter.sourceClients,
      });
      observeStripe(billing.metrics, nextSources.stripe);
      await exporter.reconfigure(next, nextSources, (replaced) =>
        closeSources(replaced, nextSources).catch((error: unknown) => {
          log.warn({ err: error }, 'closing the replaced database clients failed');
        }),
      );
    },
    async close() {
      await exporter.stop();
      await closeSources(exporter.sourceClients);
      await database.demo?.stop();
    },
  };
}

/** Resolves the app database (demo mode when none), then wires the service on it. */
export async function buildService(config: Config, log: Logger): Promise<Service> {
  return serviceOn(config, await resolveDatabase(config, log), log);
}
