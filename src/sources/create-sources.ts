import type { Config } from '../config/schema.js';
import { createPostgresSource } from './postgres.js';
import type { Sources } from './sources.js';

/** Builds the database clients from config; the events pool is shared when it is the same database. */
export function createSources(config: Config, appUrl: string): Sources {
  const app = createPostgresSource({
    connectionString: appUrl,
    poolSize: config.database.poolSize,
    statementTimeoutSeconds: config.database.statementTimeoutSeconds,
    connectTimeoutSeconds: config.database.connectTimeoutSeconds,
    applicationName: 'chom-exporter',
  });
  const eventsUrl = config.events.url;
  if (!eventsUrl || eventsUrl === appUrl) return { app, events: app };
  const events = createPostgresSource({
    connectionString: eventsUrl,
    poolSize: config.events.poolSize,
    statementTimeoutSeconds: config.events.statementTimeoutSeconds,
    connectTimeoutSeconds: config.events.connectTimeoutSeconds,
    applicationName: 'chom-exporter-events',
  });
  return { app, events };
}

/** Closes every distinct pool once. */
export async function closeSources(sources: Sources): Promise<void> {
  await Promise.all([...new Set([sources.app, sources.events])].map((source) => source.close()));
}
