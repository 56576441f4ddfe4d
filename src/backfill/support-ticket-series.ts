/**
 * The `postgres_support_tickets` collector over a whole step grid in a few
 * grouped statements instead of five queries over the table per step, equal
 * at every step to its as-of form (counters-as-of.ts `supportTicketsAsOf`).
 *
 * As of t, with C(x) the rows whose timestamp is at or before x and E(x)
 * those exactly on x (grid-buckets.ts, running-tallies.ts):
 * - tickets by status: the status changes summed up to t
 *   (support-ticket-sql.ts);
 * - the created counter: C(t) of created_at;
 * - created in a window of W days, created_at in (t - W, t]: C(t) - C(t - W);
 * - mean resolution or first-response time over W days, the stamp in
 *   [t - W, t] (closed at both ends): C(t) - C(t - W) + E(t - W), of the
 *   count and of the summed durations.
 * The sessions run in UTC, so a day is 86,400 s. t - W is read on the grid
 * extended backwards when W is a whole number of steps, else on the grid
 * shifted back by W (one more statement).
 */
import type {
  SupportTicketOptions,
  supportTicketQueries,
} from '../collectors/postgres-support-tickets.js';
import type { CollectorContext } from '../collectors/types.js';
import { parseNumericCell } from '../sources/query-contract.js';
import type { QueryFn } from '../sources/sql-source.js';
import { bucketOf, instantText, onEdge } from './grid-buckets.js';
import {
  addBucketRow,
  type BucketRow,
  type BucketRows,
  RunningTallies,
  type Tally,
} from './running-tallies.js';
import type { StepGrid, StepSeries } from './step-grid.js';
import { type StampKind, stampKinds, ticketSamples } from './support-ticket-samples.js';
import { ticketStampsSql, ticketStatusChangesSql } from './support-ticket-sql.js';

const dayMs = 86_400_000;

/** The queries of the as-of form this pass stands for: an override of any makes it decline. */
const replacedQueries = [
  'by_status',
  'created_totals',
  'created_in_window',
  'resolution',
  'first_response',
] as const satisfies readonly (keyof typeof supportTicketQueries)[];

/** Per stamp kind, the bucket rows of each priority. */
type StampBuckets = ReadonlyMap<StampKind, BucketRows>;

/**
 * The rows of a statement over `grid` (parameters as grid-buckets.ts says),
 * bucketed, each group named by its raw label values (`groupOf`), split by
 * `splitBy` (the stamps' kind; the status changes are one set).
 */
async function bucketRows(
  query: QueryFn,
  sql: string,
  grid: StepGrid,
  groupOf: (row: Record<string, unknown>) => (string | null)[],
  splitBy: (row: Record<string, unknown>) => string = () => '',
): Promise<Map<string, Map<number, BucketRow[]>>> {
  const result = await query(sql, [
    instantText(grid, 0),
    grid.stepMs,
    instantText(grid, grid.count - 1),
  ]);
  const split = new Map<string, Map<number, BucketRow[]>>();
  for (const row of result.rows) {
    const part = splitBy(row);
    const byBucket = split.get(part) ?? new Map<number, BucketRow[]>();
    split.set(part, byBucket);
    addBucketRow(byBucket, bucketOf(grid, row.bin, row.edge), {
      group: JSON.stringify(groupOf(row)),
      edge: onEdge(row.edge),
      tally: {
        count: parseNumericCell(row.n) ?? 0,
        // A sum of bigints: numeric text, whole microseconds (none for the status changes).
        micros: BigInt(String(row.micros ?? 0)),
      },
    });
  }
  return split;
}

const text = (cell: unknown) => (cell === null || cell === undefined ? null : String(cell));

function stampBuckets(query: QueryFn, grid: StepGrid): Promise<StampBuckets> {
  return bucketRows(
    query,
    ticketStampsSql,
    grid,
    (row) => [text(row.priority)],
    (row) => String(row.kind),
  ) as Promise<StampBuckets>;
}

export async function supportTicketSeries(
  { sources, signal, options }: CollectorContext<SupportTicketOptions, unknown>,
  grid: StepGrid,
): Promise<StepSeries | undefined> {
  if (replacedQueries.some((name) => options.queries?.[name])) return undefined;
  const windowsDays = [...new Set([options.windowDays, ...options.createdWindowsDays])];
  const onGrid = windowsDays.filter((days) => (days * dayMs) % grid.stepMs === 0);
  const extension = Math.max(0, ...onGrid.map((days) => (days * dayMs) / grid.stepMs));
  const extended: StepGrid = {
    firstMs: grid.firstMs - extension * grid.stepMs,
    stepMs: grid.stepMs,
    count: grid.count + extension,
  };

  const read = await sources.app.readOnly(signal, async (query) => {
    const status = await bucketRows(query, ticketStatusChangesSql, grid, (row) => [
      text(row.status),
      text(row.priority),
    ]);
    const stamps = await stampBuckets(query, extended);
    const shifted = new Map<number, StampBuckets>();
    for (const days of windowsDays)
      if (!onGrid.includes(days))
        shifted.set(
          days,
          await stampBuckets(query, { ...grid, firstMs: grid.firstMs - days * dayMs }),
        );
    return { status: status.get('') ?? new Map<number, BucketRow[]>(), stamps, shifted };
  });

  const running = (buckets: StampBuckets, kind: StampKind) =>
    new RunningTallies(buckets.get(kind) ?? new Map());
  const statusNow = new RunningTallies(read.status);
  const now = new Map(stampKinds.map((kind) => [kind, running(read.stamps, kind)]));
  // Each window's stamps as of t - W, with their own running totals (asked in step order too).
  const before = new Map(
    windowsDays.map((days) => {
      const shifted = read.shifted.get(days);
      const kinds = new Map(
        stampKinds.map((kind) => [kind, running(shifted ?? read.stamps, kind)]),
      );
      // Which instant of that grid is t - W, for step `index`.
      const offset = extension - (days * dayMs) / grid.stepMs;
      const instant = (index: number) => (shifted ? index : index + offset);
      return [days, { kinds, instant }] as const;
    }),
  );
  const upTo = (kind: StampKind, index: number) =>
    (now.get(kind) as RunningTallies).upTo(index + extension);
  const lookback = (kind: StampKind, days: number, index: number) => {
    const window = before.get(days) as NonNullable<ReturnType<typeof before.get>>;
    const tallies = window.kinds.get(kind) as RunningTallies;
    const instant = window.instant(index);
    return { upTo: tallies.upTo(instant), onInstant: tallies.onInstant(instant) };
  };

  return (index) =>
    ticketSamples(options, {
      status: statusNow.upTo(index),
      created: upTo('created', index),
      // created_at in (t - W, t]
      createdIn: (days) =>
        difference(upTo('created', index), lookback('created', days, index).upTo),
      // the stamp in [t - W, t]: the window also holds the rows exactly on t - W
      timedIn: (kind, days) => {
        const start = lookback(kind, days, index);
        return difference(upTo(kind, index), start.upTo, start.onInstant);
      },
    });
}

/** `now` minus `before` plus `plus`, group by group (the groups of `now`: nothing leaves it). */
function difference(
  now: ReadonlyMap<string, Tally>,
  before: ReadonlyMap<string, Tally>,
  plus: ReadonlyMap<string, Tally> = new Map(),
): Map<string, Tally> {
  const zero: Tally = { count: 0, micros: 0n };
  const result = new Map<string, Tally>();
  for (const [group, tally] of now) {
    const b = before.get(group) ?? zero;
    const p = plus.get(group) ?? zero;
    result.set(group, {
      count: tally.count - b.count + p.count,
      micros: tally.micros - b.micros + p.micros,
    });
  }
  return result;
}
