import type { Reject } from '../shared/reject.js';
import type { BillingSnapshot } from './types.js';

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
