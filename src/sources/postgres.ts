import type pg from 'pg';
import { AbortedError, type Session, SessionPool } from './session-pool.js';
import type { QueryFn, SqlSource } from './sql-source.js';

export { AbortedError } from './session-pool.js';

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

/**
 * After a cancel request, how long a run may take to wind down (the statement
 * fails at once on a healthy server) before its connection is closed anyway.
 */
const cancelGraceMs = 3_000;

/**
 * A pool of sessions behind the read-only contract. Sessions are read-only by
 * default (`default_transaction_read_only`), and every run also opens its
 * transaction READ ONLY, so an override query that tries to write fails on the
 * server. A run cut short (timeout, reload, shutdown) cancels its statement on
 * the server before its connection is given back or closed.
 */
export function createPostgresSource(options: PostgresSourceOptions): SqlSource {
  const pool = new SessionPool({
    connectionString: options.connectionString,
    size: options.poolSize,
    connectTimeoutMs: options.connectTimeoutSeconds * 1000,
    idleTimeoutMs: 60_000,
    applicationName: options.applicationName,
    // ISO dates whatever the server's default, for the text cells of asText.
    // Startup options are the session's defaults: DISCARD ALL returns to them.
    options: '-c default_transaction_read_only=on -c datestyle=ISO',
  });
  const timeoutMs = Math.max(1, Math.round(options.statementTimeoutSeconds * 1000));
  return {
    async readOnly(signal, work) {
      signal.throwIfAborted();
      // Runs queue for a slot in the pool, so the connect timeout measures the
      // connection itself and not the wait behind other collectors.
      const session = await pool.acquire(signal);
      return runReadOnly(session, timeoutMs, work);
    },
    close: () => pool.close(),
  };
}

async function runReadOnly<T>(
  session: Session,
  timeoutMs: number,
  work: (query: QueryFn) => Promise<T>,
): Promise<T> {
  const { client, signal } = session;
  let aborted: AbortedError | undefined;
  let cancelled: Promise<void> | undefined;
  let lastResort: NodeJS.Timeout | undefined;
  const onAbort = () => {
    aborted = new AbortedError(signal.reason);
    // The statement stops on the server first; only if that fails is the socket cut.
    cancelled = session.cancel().then((delivered) => {
      if (!delivered) session.destroy();
    });
    lastResort = setTimeout(() => session.destroy(), cancelGraceMs);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal.aborted) throw new AbortedError(signal.reason);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Transaction-scoped, so nothing outlives the run: the timeout bounds each
    // query on the server even if the client goes away; windows and month
    // boundaries (current_date, date_trunc) are taken in UTC on every server.
    await client.query({
      text: "SELECT set_config('statement_timeout', $1, true), set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO', true)",
      values: [String(timeoutMs)],
    });
    const query: QueryFn = async (sql, params = [], { asText = false } = {}) => {
      if (aborted) throw aborted;
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
    if (aborted) throw aborted;
    return value;
  } catch (error) {
    throw aborted ?? error;
  } finally {
    // A cancel sent reaches the server before the reset does.
    await cancelled;
    const abortedBeforeReset = aborted !== undefined;
    // Still listening: a reset that hangs is cut by the run's timeout too.
    const reset = await resetSession(client);
    signal.removeEventListener('abort', onAbort);
    await cancelled;
    clearTimeout(lastResort);
    // A cancel sent during the reset could land on the next run's statement: not reused.
    session.release(reset && (abortedBeforeReset || aborted === undefined));
  }
}

/**
 * Leaves the connection as a new one would be, for the next run. A read-only
 * transaction has nothing to commit, and ROLLBACK also undoes what a query set
 * for the session inside it (set_config(..., false)); DISCARD ALL then drops
 * what outlives a transaction: session advisory locks, prepared statements,
 * LISTEN, cursors WITH HOLD. Any failure closes the connection instead.
 */
async function resetSession(client: pg.Client): Promise<boolean> {
  try {
    await client.query('ROLLBACK');
    await client.query('DISCARD ALL');
    return true;
  } catch {
    return false;
  }
}
