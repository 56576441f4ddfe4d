import { describe, expect, it } from 'vitest';
import type { BillingHistoryRequest, BillingSnapshotSource } from '../billing/billing-source.js';
import type { BillingSnapshot } from '../billing/types.js';
import { snapshotOnce } from './snapshot-once.js';

/** A source that records each read's `since` and answers a distinct snapshot per read. */
function countingSource(fail: (read: number) => boolean = () => false) {
  const reads: (number | undefined)[] = [];
  let closed = 0;
  const source: BillingSnapshotSource = {
    async loadSnapshot(_signal, _reject, history?: BillingHistoryRequest) {
      reads.push(history?.since.getTime());
      const read = reads.length;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail(read)) throw new Error(`read ${read} failed`);
      return { subscriptions: [], customers: [], read } as unknown as BillingSnapshot;
    },
    async close() {
      closed += 1;
    },
  };
  return { source, reads, closedCount: () => closed };
}

const signal = new AbortController().signal;
const since = (day: number) => ({ since: new Date(Date.UTC(2025, 0, day)) });
const readOf = (snapshot: BillingSnapshot) => (snapshot as unknown as { read: number }).read;

describe('snapshotOnce', () => {
  it('reads once for steps that move forward, and again for a step further back', async () => {
    const { source, reads } = countingSource();
    const once = snapshotOnce(source);
    const first = await once.loadSnapshot(signal, undefined, since(1));
    expect(readOf(await once.loadSnapshot(signal, undefined, since(2)))).toBe(readOf(first));
    expect(readOf(await once.loadSnapshot(signal, undefined, since(30)))).toBe(readOf(first));
    expect(reads).toEqual([Date.UTC(2025, 0, 1)]);
    // Further back than what was read: read again, and that read serves later steps.
    const earlier = await once.loadSnapshot(signal, undefined, since(0));
    expect(readOf(earlier)).toBe(2);
    expect(readOf(await once.loadSnapshot(signal, undefined, since(1)))).toBe(2);
    expect(reads).toHaveLength(2);
  });

  it('shares one read between steps running at the same time', async () => {
    const { source, reads } = countingSource();
    const once = snapshotOnce(source);
    const answers = await Promise.all(
      [1, 2, 3].map((d) => once.loadSnapshot(signal, undefined, since(d))),
    );
    expect(answers.map(readOf)).toEqual([1, 1, 1]);
    expect(reads).toHaveLength(1);
  });

  it('does not keep a failed read: the next step reads again', async () => {
    const { source, reads } = countingSource((read) => read === 1);
    const once = snapshotOnce(source);
    await expect(once.loadSnapshot(signal, undefined, since(1))).rejects.toThrow('read 1 failed');
    expect(readOf(await once.loadSnapshot(signal, undefined, since(2)))).toBe(2);
    expect(readOf(await once.loadSnapshot(signal, undefined, since(3)))).toBe(2);
    expect(reads).toHaveLength(2);
  });

  it('closes the source it wraps', async () => {
    const { source, closedCount } = countingSource();
    await snapshotOnce(source).close();
    expect(closedCount()).toBe(1);
  });
});
