import type { BillingHistoryRequest, BillingSnapshotSource } from '../billing/billing-source.js';
import type { BillingSnapshot } from '../billing/types.js';

/**
 * The billing source for a backfill: one read serves every step. A snapshot is the source's
 * current state with the history billing needs from `since` on (subscription timelines, Stripe's
 * paid invoices), and the steps only move forward, so each later step's `since` is covered by the
 * first read. Without this, every step would cost Stripe an events poll and a list of paid
 * invoices (two requests an hour of history, 17,520 for a year at 1 h).
 *
 * Steps running at the same time share one read. A failed read is not kept: the next step reads
 * again. A step asking further back than what was read reads again, and that read is kept. Objects
 * the source leaves out are reported to the step that read them, so each is counted once per read.
 */
export function snapshotOnce(source: BillingSnapshotSource): BillingSnapshotSource {
  let held: { since: number; snapshot: Promise<BillingSnapshot> } | undefined;
  return {
    loadSnapshot(signal, reject, history?: BillingHistoryRequest) {
      const since = history?.since.getTime() ?? Number.POSITIVE_INFINITY;
      if (held && held.since <= since) return held.snapshot;
      const snapshot = source.loadSnapshot(signal, reject, history);
      const read = { since, snapshot };
      held = read;
      snapshot.catch(() => {
        if (held === read) held = undefined;
      });
      return snapshot;
    },
    close: () => source.close(),
  };
}
