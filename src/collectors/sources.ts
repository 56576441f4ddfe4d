import type { MonthStartStore } from '../billing/month-start-store.js';
import type { BillingSnapshot } from '../billing/types.js';
import type { Reject } from '../shared/reject.js';

export interface QueryOptions {
  /**
   * Every cell as the text PostgreSQL sends, not parsed into numbers, Dates or
   * objects: a date or a timestamp without time zone then reads the same
   * whatever the process time zone (pg parses those as local time).
   */
  readonly asText?: boolean;
}

/** A function that runs one SQL statement with bound parameters. */
export type QueryFn = (
  sql: string,
  params?: readonly unknown[],
  options?: QueryOptions,
) => Promise<{ rows: Record<string, unknown>[]; columns: string[] }>;

/** A database the collectors may read, and only read. */
export interface SqlSource {
  /**
   * Runs `work` in one read-only, repeatable-read transaction, so that every
   * query of a collector run sees the same snapshot; the statement timeout bounds
   * each query on the server even if the client goes away.
   */
  readOnly<T>(signal: AbortSignal, work: (query: QueryFn) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The clients shared by collectors. `events` may be the same database as `app`. */
export interface Sources {
  readonly app: SqlSource;
  readonly events: SqlSource;
  /** Where billing records each month's opening MRR; absent means reconstruct every time. */
  readonly monthStartStore?: MonthStartStore;
  /** Stripe, when an API key is configured. */
  readonly stripe?: BillingSnapshotSource;
}

/** How far back billing computes: the items in force from `since` on are wanted (plan changes). */
export interface BillingHistoryRequest {
  readonly since: Date;
}

/** Something that can deliver the whole billing state (Stripe). */
export interface BillingSnapshotSource {
  /** `reject` receives objects the source left out, to be counted like bad rows. */
  loadSnapshot(
    signal: AbortSignal,
    reject?: Reject,
    history?: BillingHistoryRequest,
  ): Promise<BillingSnapshot>;
  /** Where to report requests and syncs (the exporter's self-metrics). */
  observe?(observer: BillingSourceObserver): void;
  /**
   * Takes an event delivered by a verified webhook; what it names is read again
   * at the next run. False when the event does not matter to billing.
   */
  notify?(event: {
    readonly id?: unknown;
    readonly type?: unknown;
    readonly created?: unknown;
    readonly data?: { readonly object?: unknown } | null;
  }): boolean;
  close(): Promise<void>;
}

/** Activity of a billing source, for the self-metrics. */
export interface BillingSourceObserver {
  onRequest(kind: 'list' | 'retrieve' | 'events'): void;
  onSync(mode: 'full' | 'incremental'): void;
}
