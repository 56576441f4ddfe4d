import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresSource } from '../../src/sources/postgres.js';
import type { SqlSource } from '../../src/sources/sources.js';
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
});
