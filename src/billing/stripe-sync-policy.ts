/**
 * When the Stripe source lists everything and when it reads only the events
 * since the last round: the sync policy, as a state machine apart from the
 * requests, so that each transition is unit-tested.
 *
 *   unread ──first round──▶ full_owed ──full sync done──▶ synced
 *                              ▲                             │
 *                              └── a full sync is due, or ───┘
 *                                  an incremental round gave up
 *
 * A full sync that fails leaves the state at full_owed: the next round lists
 * everything again. Orthogonal to it, whether Stripe refuses the events list:
 * while it does, rounds are full until a full-sync interval has passed, when the
 * events are asked for again (a permission granted to the same key is noticed).
 */
export type StripeSyncState =
  /** Billing has not asked for Stripe (it may read the mirror): webhooks have nothing to refresh. */
  | { readonly kind: 'unread' }
  /** A full sync is owed: the first one, or one that started and did not finish. */
  | { readonly kind: 'full_owed' }
  /** The last full sync finished at `fullSyncAtMs` and took `fullSyncRequests` requests. */
  | { readonly kind: 'synced'; readonly fullSyncAtMs: number; readonly fullSyncRequests: number };

export type StripeRound = 'full' | 'incremental';

export class StripeSyncPolicy {
  private current: StripeSyncState = { kind: 'unread' };
  /** When Stripe last refused the events list; undefined while it answers. */
  private eventsRefusedAtMs: number | undefined;

  /** `fullSyncIntervalMs`: between full syncs; 0 makes every round full. */
  constructor(private readonly fullSyncIntervalMs: number) {}

  get state(): StripeSyncState {
    return this.current;
  }

  /** Whether a webhook event may mark objects for re-reading: only once billing reads Stripe. */
  get takesWebhooks(): boolean {
    return this.current.kind !== 'unread';
  }

  /**
   * What the cheapest correct round is: incremental only after a finished full
   * sync, within its interval, while the events list answers.
   */
  nextRound(nowMs: number): StripeRound {
    if (this.current.kind === 'unread') this.current = { kind: 'full_owed' };
    if (this.current.kind !== 'synced' || this.fullSyncIntervalMs === 0) return 'full';
    if (nowMs - this.current.fullSyncAtMs >= this.fullSyncIntervalMs) return 'full';
    if (
      this.eventsRefusedAtMs !== undefined &&
      nowMs - this.eventsRefusedAtMs < this.fullSyncIntervalMs
    )
      return 'full';
    return 'incremental';
  }

  /** The most requests the events of an incremental round may cost: a full sync's. */
  get incrementalBudget(): number {
    return this.current.kind === 'synced' ? this.current.fullSyncRequests : 0;
  }

  /** Whether fetching `changedObjects` again costs more than a full sync. */
  fullSyncCheaper(changedObjects: number): boolean {
    return changedObjects > this.incrementalBudget;
  }

  /** A full sync starts (due, or an incremental round gave up): owed until it finishes. */
  fullSyncStarting(): void {
    this.current = { kind: 'full_owed' };
  }

  fullSyncDone(startedAtMs: number, requests: number): void {
    this.current = { kind: 'synced', fullSyncAtMs: startedAtMs, fullSyncRequests: requests };
  }

  /** Stripe refused the events list; true the first time, so it is warned about once. */
  eventsRefused(nowMs: number): boolean {
    const first = this.eventsRefusedAtMs === undefined;
    this.eventsRefusedAtMs = nowMs;
    return first;
  }

  /** Stripe answered the events list; true when it had refused it (rounds are incremental again). */
  eventsAnswered(): boolean {
    const wasRefused = this.eventsRefusedAtMs !== undefined;
    this.eventsRefusedAtMs = undefined;
    return wasRefused;
  }
}
