import type { BillingSnapshotSource } from '../billing/billing-source.js';
import { createPostgresMonthStartStore } from '../billing/month-start-store.js';
import type { Sources } from '../collectors/sources.js';
import { noDatabase } from '../sources/no-database.js';
import { createPostgresSource, type PostgresSourceOptions } from '../sources/postgres.js';
import type { Config } from './config.js';

export interface SourceOverrides {
  /** A writable database for billing month openings (the demo database in demo mode). */
  readonly stateUrl?: string;
  readonly stripe?: BillingSnapshotSource;
}

/** What each database client was built from; kept in memory only, never logged. */
const builtFrom = new WeakMap<object, string>();

/** A client built from `settings`, or the previous one built from the same settings. */
function reuseOrCreate<T extends object>(
  settings: unknown,
  previous: readonly (T | undefined)[],
  create: () => T,
): T {
  const fingerprint = JSON.stringify(settings);
  const same = previous.find((client) => client && builtFrom.get(client) === fingerprint);
  if (same) return same;
  const created = create();
  builtFrom.set(created, fingerprint);
  return created;
}

/**
 * Builds the database clients from config; the events pool is shared when it
 * is the same database. Given the sources in use (a reload), a client whose
 * settings did not change is kept, with its connections: a reload then opens
 * none, and connections stay within poolSize however often it happens. Without
 * `appUrl` (nothing enabled reads the app database) there is no app pool.
 */
export function createSources(
  config: Config,
  appUrl: string | undefined,
  overrides: SourceOverrides = {},
  previous?: Sources,
): Sources {
  const pools = previous ? [previous.app, previous.events] : [];
  const postgres = (options: PostgresSourceOptions) =>
    reuseOrCreate(options, pools, () => createPostgresSource(options));
  const app = appUrl
    ? postgres({
        connectionString: appUrl,
        poolSize: config.database.poolSize,
        statementTimeoutSeconds: config.database.statementTimeoutSeconds,
        connectTimeoutSeconds: config.database.connectTimeoutSeconds,
        applicationName: 'chom-exporter',
      })
    : noDatabase;
  const stateUrl = overrides.stateUrl ?? config.stateDatabase.url;
  const billing = {
    ...(stateUrl
      ? {
          monthStartStore: reuseOrCreate(stateUrl, [previous?.monthStartStore], () =>
            createPostgresMonthStartStore(stateUrl),
          ),
        }
      : {}),
    ...(overrides.stripe ? { stripe: overrides.stripe } : {}),
  };
  const eventsUrl = config.events.url;
  if (!eventsUrl || eventsUrl === appUrl) return { app, events: app, ...billing };
  const events = postgres({
    connectionString: eventsUrl,
    poolSize: config.events.poolSize,
    statementTimeoutSeconds: config.events.statementTimeoutSeconds,
    connectTimeoutSeconds: config.events.connectTimeoutSeconds,
    applicationName: 'chom-exporter-events',
  });
  return { app, events, ...billing };
}

/** Closes every distinct pool and client once, except those `kept` (in use by a newer set). */
export async function closeSources(sources: Sources, kept?: Sources): Promise<void> {
  const inUse = new Set<unknown>(
    kept ? [kept.app, kept.events, kept.monthStartStore, kept.stripe] : [],
  );
  const closables = new Set([sources.app, sources.events, sources.monthStartStore, sources.stripe]);
  await Promise.all(
    [...closables].filter((source) => !inUse.has(source)).map((source) => source?.close()),
  );
}
