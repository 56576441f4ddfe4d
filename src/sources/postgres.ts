import pg from 'pg';
import { Semaphore } from './semaphore.js';
import type { QueryFn, SqlSource } from './sources.js';

export interface PostgresSourceOptions {
  readonly connectionString: string;
  readonly poolSize: number;
  readonly statementTimeoutSeconds: number;
  readonly connectTimeoutSeconds: number;
  readonly applicationName: string;
}

/** Type parsers that leave every cell as the text the server sent. */
const keepText = {
  getTypeParser: () => (text: string) => text,
} as unknown as pg.CustomTypesConfig;

/** Thrown when a run is cut off; the runner reports it as a timeout. */
export class AbortedError extends Error {
  constructor(reason: unknown) {
    super(reason instanceof Error ? reason.message : 'aborted');
    this.name = 'AbortedError';
  }
}

/**
 * A pg Pool behind the read-only contract. Sessions are read-only by default
 * (`default_transaction_read_only`), and every run also opens its transaction
 * READ ONLY, so an override query that tries to write fails on the server.
 */
export function createPostgresSource(options: PostgresSourceOptions): SqlSource {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutSeconds * 1000,
    idleTimeoutMillis: 60_000,
    application_name: options.applicationName,
    // ISO dates whatever the server's default, for the text cells of asText.
    options: '-c default_transaction_read_only=on -c datestyle=ISO',
  });
  // An idle client losing its connection must not crash the process; the next
  // run gets a fresh connection and reports the failure if it persists.
  pool.on('error', () => {});

  const slots = new Semaphore(options.poolSize);

  return {
    async readOnly(signal, work) {
      // Runs queue here rather than in the pool, so the connect timeout measures
      // the connection itself and not the wait behind other collectors.
      const release = await slots.acquire(signal);
      try {
        return await runReadOnly(signal, work);
      } finally {
        release();
      }
    },
    async close() {
      await pool.end();
    },
  };

  async function runReadOnly<T>(
    signal: AbortSignal,
    work: (query: QueryFn) => Promise<T>,
  ): Promise<T> {
    signal.throwIfAborted();
    const client = await pool.connect();
    let broken: Error | undefined;
    // Releasing with an error destroys the connection instead of pooling it.
    const discard = (error: Error) => {
      if (broken) return;
      broken = error;
      client.release(error);
    };
    // Destroying the connection ends the query on the server side too.
    const onAbort = () => discard(new AbortedError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const timeoutMs = Math.max(1, Math.round(options.statementTimeoutSeconds * 1000));
      await client.query(`SET LOCAL statement_timeout = ${timeoutMs}`);
      // Windows and month boundaries (current_date, date_trunc) are taken in UTC on every server.
      await client.query("SET LOCAL TIME ZONE 'UTC'");
      const query: QueryFn = async (sql, params = [], { asText = false } = {}) => {
        if (broken) throw broken;
        // The extended protocol takes exactly one statement even without
        // parameters, so `...; COMMIT; BEGIN READ WRITE; ...` cannot step out of
        // the read-only transaction (the simple protocol would run all three).
        // pg supports queryMode; @types/pg does not declare it yet.
        const config: pg.QueryConfig & { queryMode: 'extended' } = {
          text: sql,
          values: [...params],
          queryMode: 'extended',
          ...(asText ? { types: keepText } : {}),
        };
        const result = await client.query(config);
        return { rows: result.rows, columns: result.fields.map((field) => field.name) };
      };
      const value = await work(query);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      if (broken) throw broken;
      // A failed ROLLBACK means the connection itself is gone: do not pool it.
      await client.query('ROLLBACK').catch((rollbackError: Error) => discard(rollbackError));
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (!broken) client.release();
    }
  }
}
