import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.js';
import { seedDemoData } from '../../src/demo/seed.js';

export const adminUrl =
  process.env.ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  /** Transactions and rows read in this database so far (pg_stat_database). */
  activity(): Promise<{ transactions: number; rowsRead: number }>;
  /** Resolves once no session is connected (an exiting backend flushes its statistics). */
  disconnected(): Promise<void>;
  drop(): Promise<void>;
  /** Closes the admin connection and leaves the database in place. */
  keep(): Promise<void>;
}

/**
 * A fresh database with the reference schema (and the deterministic demo data
 * when `seed` is set), on the local server. The admin connection stays on the
 * `postgres` database, so reading the statistics adds no transaction to the
 * bench database.
 */
export async function createBenchDatabase(
  options: { seed?: boolean } = {},
): Promise<BenchDatabase> {
  const name = `chom_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  // The collectors take day and month boundaries in UTC; the peers then see the same windows.
  await admin.query(`ALTER DATABASE ${name} SET timezone = 'UTC'`);
  const parsed = new URL(adminUrl);
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  await migrate(url);
  if (options.seed) await seedDemoData(url);
  return {
    name,
    url,
    async activity() {
      // Each statement outside a transaction takes a fresh statistics snapshot.
      const { rows } = await admin.query(
        `SELECT xact_commit + xact_rollback AS transactions, tup_returned + tup_fetched AS rows_read
         FROM pg_stat_database WHERE datname = $1`,
        [name],
      );
      return { transactions: Number(rows[0].transactions), rowsRead: Number(rows[0].rows_read) };
    },
    async disconnected() {
      for (;;) {
        const { rows } = await admin.query(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
          [name],
        );
        if (rows[0].n === 0) return;
        await sleep(100);
      }
    },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
    async keep() {
      await admin.end();
    },
  };
}
