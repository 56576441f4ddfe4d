import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresSource } from '../../src/sources/postgres.js';
import type { SqlSource } from '../../src/sources/sql-source.js';
import { waitUntil } from '../helpers/processes.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** The read-only contract every query (built-in, override, custom) runs under. */
describe('PostgreSQL source', () => {
  let db: TestDatabase;
  let source: SqlSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(`CREATE TABLE kept (id int); INSERT INTO kept VALUES (1), (2)`);
    source = createPostgresSource({
      connectionString: db.url,
      poolSize: 1,
      statementTimeoutSeconds: 5,
      connectTimeoutSeconds: 5,
      applicationName: 'chom-test',
    });
  });
  afterAll(async () => {
    await source.close();
    await db.drop();
  });

  const run = (sql: string) => source.readOnly(AbortSignal.timeout(10_000), (query) => query(sql));
  const keptRows = async () => (await db.sql('SELECT count(*)::int AS n FROM kept')).rows[0].n;

  it('refuses several statements in one query, so COMMIT cannot end the read-only transaction', async () => {
    await expect(
      run('SELECT 1; COMMIT; BEGIN READ WRITE; DELETE FROM kept; COMMIT; SELECT 1'),
    ).rejects.toThrow(/cannot insert multiple commands into a prepared statement/);
    expect(await keptRows()).toBe(2);
  });

  it('refuses a write inside its one statement', async () => {
    await expect(run('DELETE FROM kept RETURNING id')).rejects.toThrow(/read-only transaction/);
    expect(await keptRows()).toBe(2);
  });

  it('still answers after a refused query, with rows and column names', async () => {
    const result = await run('SELECT id, id * 2 AS twice FROM kept ORDER BY id');
    expect(result.columns).toEqual(['id', 'twice']);
    expect(result.rows).toEqual([
      { id: 1, twice: 2 },
      { id: 2, twice: 4 },
    ]);
  });

  it('ends every run with a clean session: a session setting or advisory lock does not outlive it', async () => {
    // Session-level on purpose (is_local false), as a careless override might.
    await run(
      "SELECT set_config('chom.leak', 'yes', false), set_config('DateStyle', 'SQL', false)",
    );
    await run('SELECT pg_advisory_lock(4242)');
    // The pool has one connection, so the next run reuses it.
    const next = await run(`SELECT current_setting('chom.leak', true) AS leak,
      current_setting('DateStyle') AS datestyle,
      current_setting('default_transaction_read_only') AS read_only,
      pg_backend_pid() AS pid`);
    expect(next.rows[0]).toMatchObject({ datestyle: 'ISO, MDY', read_only: 'on' });
    expect(next.rows[0]?.leak ?? '').toBe('');
    const held = await db.sql(
      "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242",
    );
    expect(held.rows[0].n).toBe(0);
    // The same backend: the session was reset, not replaced.
    expect((await run('SELECT pg_backend_pid() AS pid')).rows[0]?.pid).toBe(next.rows[0]?.pid);
  });
});

describe('a run cut short', () => {
  let db: TestDatabase;
  const applicationName = `chom-cancel-${process.pid}`;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  const backends = async () =>
    (
      await db.sql(
        `SELECT count(*)::int AS all, count(*) FILTER (WHERE query LIKE '%pg_sleep%' AND state = 'active')::int AS sleeping
         FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
        [applicationName],
      )
    ).rows[0] as { all: number; sleeping: number };

  it('cancels its statement on the server, then gives the connection back for the next run', async () => {
    const source = createPostgresSource({
      connectionString: db.url,
      poolSize: 1,
      statementTimeoutSeconds: 120,
      connectTimeoutSeconds: 5,
      applicationName,
    });
    try {
      const slow = source.readOnly(AbortSignal.timeout(1_000), (query) =>
        query('SELECT pg_sleep(60)'),
      );
      await expect(slow).rejects.toThrow();
      // Cancelled on the server, not left sleeping behind a closed socket.
      await waitUntil('the sleep cancelled', 10, async () => (await backends()).sleeping === 0);
      const next = await source.readOnly(AbortSignal.timeout(10_000), (query) =>
        query('SELECT 1 AS one'),
      );
      expect(next.rows).toEqual([{ one: 1 }]);
      expect((await backends()).all).toBe(1);
    } finally {
      await source.close();
    }
    await waitUntil('the connection closed', 10, async () => (await backends()).all === 0);
  });

  it('closes with a statement running: cancelled on the server, nothing left connected', async () => {
    const source = createPostgresSource({
      connectionString: db.url,
      poolSize: 2,
      statementTimeoutSeconds: 120,
      connectTimeoutSeconds: 5,
      applicationName,
    });
    const running = source
      .readOnly(new AbortController().signal, (query) => query('SELECT pg_sleep(60)'))
      .catch((error: Error) => error);
    await waitUntil('the sleep running', 10, async () => (await backends()).sleeping === 1);
    await source.close();
    expect(await running).toBeInstanceOf(Error);
    await waitUntil('nothing left', 10, async () => (await backends()).all === 0);
  });
});
