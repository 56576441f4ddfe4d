/**
 * Per-group tallies along the buckets of a step grid (grid-buckets.ts),
 * summed in step order: as of instant j, everything at or before it.
 */

/** A group's row count and summed duration in microseconds (exact: bigint). */
export interface Tally {
  count: number;
  micros: bigint;
}

/** One group's rows in one bucket, and whether they lie exactly on its instant. */
export interface BucketRow {
  /** The group's raw label values (JSON text of an array: NULL stays apart from 'null'). */
  readonly group: string;
  readonly edge: boolean;
  readonly tally: Tally;
}

export type BucketRows = ReadonlyMap<number, readonly BucketRow[]>;

export function addBucketRow(byBucket: Map<number, BucketRow[]>, bucket: number, row: BucketRow) {
  const list = byBucket.get(bucket);
  if (list) list.push(row);
  else byBucket.set(bucket, [row]);
}

function addTally(totals: Map<string, Tally>, group: string, tally: Tally): void {
  const total = totals.get(group);
  if (total) {
    total.count += tally.count;
    total.micros += tally.micros;
  } else totals.set(group, { ...tally });
}

/** Running totals over a grid's buckets; instants asked for in increasing order. */
export class RunningTallies {
  private readonly totals = new Map<string, Tally>();
  private next = 0;

  constructor(private readonly byBucket: BucketRows) {}

  /** Tallies of the rows at or before instant `index` (a live view, valid until the next call). */
  upTo(index: number): ReadonlyMap<string, Tally> {
    if (index < this.next - 1) throw new Error('running tallies: instants asked out of order');
    for (; this.next <= index; this.next += 1)
      for (const row of this.byBucket.get(this.next) ?? [])
        addTally(this.totals, row.group, row.tally);
    return this.totals;
  }

  /** Tallies of the rows exactly on instant `index`. */
  onInstant(index: number): ReadonlyMap<string, Tally> {
    const on = new Map<string, Tally>();
    for (const row of this.byBucket.get(index) ?? [])
      if (row.edge) addTally(on, row.group, row.tally);
    return on;
  }
}
