import { createPostgresMonthStartStore } from '../billing/month-start-store.js';
import type { Config } from '../config/schema.js';
import { noDatabase } from './no-database.js';
import { createPostgresSource } from './postgres.js';
import type { BillingSnapshotSource, Sources } from './sources.js';

export interface SourceOverrides {
  /** A writable database for billing month openings (the demo database in demo mode). */
  readonly stateUrl?: string;
  readonly stripe?: BillingSnapshotSource;
}

/**
 * Builds the database clients from config; the events pool is shared when it
 * is the same database. Without `appUrl` (nothing enabled reads the app
 * database) there is no app pool.
 */
export function createSources(
  config: Config,
  appUrl: string | undefined,
  overrides: SourceOverrides = {},
): Sources {
  const app = appUrl
    ? createPostgresSource({
        connectionString: appUrl,
        poolSize: config.database.poolSize,
        statementTimeoutSeconds: config.database.statementTimeoutSeconds,
        connectTimeoutSeconds: config.database.connectTimeoutSeconds,
        applicationName: 'chom-exporter',
      })
    : noDatabase;
  const stateUrl = overrides.stateUrl ?? config.stateDatabase.url;
  const billing = {
    ...(stateUrl ? { monthStartStore: createPostgresMonthStartStore(stateUrl) } : {}),
    ...(overrides.stripe ? { stripe: overrides.stripe } : {}),
  };
  const eventsUrl = config.events.url;
  if (!eventsUrl || eventsUrl === appUrl) return { app, events: app, ...billing };
  const events = createPostgresSource({
    connectionString: eventsUrl,
    poolSize: config.events.poolSize,
    statementTimeoutSeconds: config.events.statementTimeoutSeconds,
    connectTimeoutSeconds: config.events.connectTimeoutSeconds,
    applicationName: 'chom-exporter-events',
  });
  return { app, events, ...billing };
}

/** Closes every distinct pool and client once. */
export async function closeSources(sources: Sources): Promise<void> {
  const closables = [
    ...new Set([sources.app, sources.events]),
    sources.monthStartStore,
    sources.stripe,
  ];
  await Promise.all(closables.map((source) => source?.close()));
}
