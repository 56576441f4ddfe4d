import pg from 'pg';
import { sendCancelRequest } from './cancel-request.js';
import { Semaphore } from './semaphore.js';

export interface SessionPoolOptions {
  readonly connectionString: string;
  readonly size: number;
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly applicationName: string;
  /** Startup options (`-c name=value ...`), the session defaults every connection starts with. */
  readonly options: string;
}

/** Thrown when a run is cut off; the runner reports it as a timeout or a shutdown. */
export class AbortedError extends Error {
  constructor(reason: unknown) {
    super(reason instanceof Error ? reason.message : 'aborted');
    this.name = 'AbortedError';
  }
}

/** A connection lent to one run, until `release`. */
export interface Session {
  readonly client: pg.Client;
  /** The run's signal, also aborted when the pool closes. */
  readonly signal: AbortSignal;
  /** Asks the server to cancel the statement running on this connection; false if undelivered. */
  cancel(): Promise<boolean>;
  /** Closes the socket at once (the connection is not reused). */
  destroy(): void;
  /** Hands the connection back: pooled when `reusable` (idle, reset), closed otherwise. */
  release(reusable: boolean): void;
}

const destroySocket = (client: pg.Client) => client.connection.stream.destroy();

/**
 * How long a cancel request or a goodbye to the server may take before it is
 * given up (the connect timeout, if shorter): a shutdown has 10 s in all, and
 * a server that does not answer these will not answer later either.
 */
const serverChoreMs = 3_000;

/**
 * At most `size` connections, open or opening, whatever happens to the runs
 * using them: a connection is lent with a slot and its slot comes back only
 * once the connection is idle again or closed. Unlike pg.Pool, a connect in
 * progress is abandoned when its run is aborted or the pool closes (its socket
 * destroyed), so a shutdown never waits for an unresponsive server; and
 * `close` waits for lent connections, which their runs cancel on the server
 * before giving back, so a closed pool leaves no query running.
 */
export class SessionPool {
  private readonly slots: Semaphore;
  private readonly idle: { client: pg.Client; timer: NodeJS.Timeout }[] = [];
  private readonly lent = new Set<pg.Client>();
  private readonly closing = new AbortController();
  private allReturned: (() => void) | undefined;
  private closed: Promise<void> | undefined;

  constructor(private readonly options: SessionPoolOptions) {
    this.slots = new Semaphore(options.size);
  }

  async acquire(runSignal: AbortSignal): Promise<Session> {
    const signal = AbortSignal.any([runSignal, this.closing.signal]);
    const releaseSlot = await this.slots.acquire(signal);
    try {
      const client = this.takeIdle() ?? (await this.connect(signal));
      this.lent.add(client);
      return this.session(client, signal, releaseSlot);
    } catch (error) {
      releaseSlot();
      throw error;
    }
  }

  /** Refuses new runs, waits for lent connections to come back, closes every connection. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing.abort(new Error('connection pool closed'));
      if (this.lent.size > 0) {
        await new Promise<void>((resolve) => {
          this.allReturned = resolve;
        });
      }
      await Promise.all(this.idle.splice(0).map(({ client, timer }) => this.end(client, timer)));
    })();
    return this.closed;
  }

  private choreMs(): number {
    return Math.min(this.options.connectTimeoutMs, serverChoreMs);
  }

  private takeIdle(): pg.Client | undefined {
    const entry = this.idle.pop();
    if (entry) clearTimeout(entry.timer);
    return entry?.client;
  }

  private async connect(signal: AbortSignal): Promise<pg.Client> {
    signal.throwIfAborted();
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      connectionTimeoutMillis: this.options.connectTimeoutMs,
      application_name: this.options.applicationName,
      options: this.options.options,
    });
    // A connection lost while idle must not crash the process: it leaves the pool.
    client.on('error', () => this.forgetIdle(client));
    client.on('end', () => this.forgetIdle(client));
    const abandon = () => destroySocket(client);
    signal.addEventListener('abort', abandon, { once: true });
    try {
      await client.connect();
      signal.throwIfAborted();
      return client;
    } catch (error) {
      destroySocket(client);
      throw signal.aborted ? new AbortedError(signal.reason) : error;
    } finally {
      signal.removeEventListener('abort', abandon);
    }
  }

  private session(client: pg.Client, signal: AbortSignal, releaseSlot: () => void): Session {
    let released = false;
    return {
      client,
      signal,
      cancel: () => sendCancelRequest(client, this.choreMs()),
      destroy: () => destroySocket(client),
      release: (reusable) => {
        if (released) return;
        released = true;
        this.lent.delete(client);
        if (reusable && !this.closing.signal.aborted) this.keepIdle(client);
        else if (reusable) void this.end(client);
        else destroySocket(client);
        releaseSlot();
        if (this.lent.size === 0) this.allReturned?.();
      },
    };
  }

  private keepIdle(client: pg.Client): void {
    const timer = setTimeout(() => {
      if (this.removeIdle(client)) void this.end(client);
    }, this.options.idleTimeoutMs);
    timer.unref();
    this.idle.push({ client, timer });
  }

  private forgetIdle(client: pg.Client): void {
    if (this.removeIdle(client)) destroySocket(client);
  }

  private removeIdle(client: pg.Client): boolean {
    const index = this.idle.findIndex((entry) => entry.client === client);
    if (index < 0) return false;
    const [entry] = this.idle.splice(index, 1);
    clearTimeout(entry?.timer);
    return true;
  }

  private async end(client: pg.Client, timer?: NodeJS.Timeout): Promise<void> {
    clearTimeout(timer);
    // A graceful goodbye, bounded: a server that does not answer gets its socket closed.
    const cut = setTimeout(() => destroySocket(client), this.choreMs());
    await client.end().catch(() => {});
    clearTimeout(cut);
  }
}
