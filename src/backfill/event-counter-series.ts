/**
 * The `analytics_event_counters` collector over a whole step grid in a few
 * grouped scans instead of two scans per step: its lifetime counters AND its
 * `_in_window` gauges, equal at every step to what its as-of form
 * (counters-as-of.ts, event-windows.ts) computes there.
 *
 * Lifetime counter at t: events with occurred_at <= t, i.e. the cumulative
 * count C(t). Window gauge of W days at t: events with occurred_at in
 * (t - W, t], i.e. C(t) - C(t - W). The sessions run in UTC, so a day is
 * 86,400 s and t - W is exact arithmetic on the grid. C is read once per
 * grid of instants as per-step bucket counts (in slices of steps, each
 * statement reading only its slice) then summed in step order:
 * - the step grid extended backwards by the windows that are a whole number
 *   of steps (t - W is then a step of the extended grid): one scan;
 * - each other window, the grid shifted back by W: one more scan each.
 */
import {
  type EventCounterOptions,
  eventCounterDefinitions,
  eventWindowDefinitions,
} from '../collectors/event-counter-specs.js';
import { propertyKeysOf } from '../collectors/event-counter-state.js';
import {
  addCounts,
  type CounterValue,
  countersFromTotals,
  type EventCounts,
  type EventGroupRow,
} from '../collectors/event-counts.js';
import type { CollectorContext } from '../collectors/types.js';
import { sample } from '../metrics/spec.js';
import { parseNumericCell } from '../sources/query-contract.js';
import type { QueryFn } from '../sources/sql-source.js';
import { bucketOf, instantText } from './grid-buckets.js';
import { extendedBackByWindows, type StepGrid, type StepSeries } from './step-grid.js';

const dayMs = 86_400_000;

/**
 * Steps read by one statement: each reads only its slice of the range (through
 * the (event_name, occurred_at) index), so no statement grows with the table
 * and every event is read once over the whole pass.
 */
export const stepsPerStatement = 500;

/**
 * Events by event name and tracked property with occurred_at at or before
 * the grid's origin ($1): bucket 0 of the grid. $2 the event names, $3... the keys.
 */
export function baseCountSql(table: string, propertyCount: number): string {
  const properties = Array.from(
    { length: propertyCount },
    (_, i) => `properties ->> $${i + 3} AS p${i}`,
  );
  const groupBy = Array.from({ length: propertyCount + 1 }, (_, i) => String(i + 1));
  return `SELECT event_name, ${[...properties, 'count(*) AS n'].join(', ')}
FROM ${table}
WHERE occurred_at <= $1::timestamptz AND event_name = ANY($2::text[])
GROUP BY ${groupBy.join(', ')}`;
}

/**
 * Events with occurred_at in ($1, $2], grouped by event name, tracked
 * properties, the grid instant at or before them (`bin`: date_bin from the
 * origin $3 every $4 milliseconds) and whether they fall on it (`edge`).
 * An event in (origin + (j-1)·step, origin + j·step] belongs to bucket j: the
 * count as of origin + j·step includes it, as `occurred_at <= $at` does.
 * $5 the event names, $6... the keys.
 */
export function sliceCountSql(table: string, propertyCount: number): string {
  const properties = Array.from(
    { length: propertyCount },
    (_, i) => `properties ->> $${i + 6} AS p${i}`,
  );
  const groupBy = Array.from({ length: propertyCount + 3 }, (_, i) => String(i + 1));
  return `SELECT event_name, ${[...properties.map((_, i) => `p${i}`), 'bin', 'occurred_at = bin AS edge', 'count(*) AS n'].join(', ')}
FROM (
  SELECT event_name, ${[...properties, 'occurred_at'].join(', ')},
    date_bin($4::bigint * interval '1 millisecond', occurred_at, $3::timestamptz) AS bin
  FROM ${table}
  WHERE occurred_at > $1::timestamptz AND occurred_at <= $2::timestamptz AND event_name = ANY($5::text[])
) AS e
GROUP BY ${groupBy.join(', ')}`;
}

/**
 * Grouped new events by bucket of the grid: bucket 0 every event up to the
 * first instant, bucket j those in (instant j-1, instant j]; the sum of
 * buckets 0..j is the count as of instant j. As many entries as buckets that
 * saw events.
 */
async function bucketCounts(
  query: QueryFn,
  table: string,
  events: readonly string[],
  propertyKeys: readonly string[],
  grid: StepGrid,
): Promise<Map<number, EventGroupRow[]>> {
  const byBucket = new Map<number, EventGroupRow[]>();
  const add = (bucket: number, row: Record<string, unknown>) => {
    const group: EventGroupRow = {
      event: String(row.event_name),
      properties: propertyKeys.map((_, i) => {
        const value = row[`p${i}`];
        return value === null || value === undefined ? null : String(value);
      }),
      count: parseNumericCell(row.n) ?? 0,
    };
    const list = byBucket.get(bucket);
    if (list) list.push(group);
    else byBucket.set(bucket, [group]);
  };
  const instant = (index: number) => instantText(grid, index);
  const base = await query(baseCountSql(table, propertyKeys.length), [
    instant(0),
    events,
    ...propertyKeys,
  ]);
  for (const row of base.rows) add(0, row);
  for (let from = 1; from < grid.count; from += stepsPerStatement) {
    const to = Math.min(grid.count - 1, from + stepsPerStatement - 1);
    const slice = await query(sliceCountSql(table, propertyKeys.length), [
      instant(from - 1),
      instant(to),
      instant(0),
      grid.stepMs,
      events,
      ...propertyKeys,
    ]);
    for (const row of slice.rows) add(bucketOf(grid, row.bin, row.edge), row);
  }
  return byBucket;
}

/** Cumulative counts along a grid's buckets, asked for in increasing order. */
class RunningTotals {
  readonly totals: EventCounts = new Map();
  private next = 0;

  constructor(private readonly byBucket: ReadonlyMap<number, readonly EventGroupRow[]>) {}

  /** The counts as of bucket `index` (none before bucket 0). */
  at(index: number): EventCounts {
    if (index < this.next - 1) throw new Error('event counter series: steps asked out of order');
    for (; this.next <= index; this.next += 1)
      addCounts(this.totals, this.byBucket.get(this.next) ?? []);
    return this.totals;
  }
}

/** Where each window's C(t - W) comes from: a lag on the extended grid or a grid of its own. */
type WindowSource =
  | { readonly kind: 'lag'; readonly steps: number }
  | { readonly kind: 'shifted'; readonly byBucket: Map<number, EventGroupRow[]> };

export async function eventCounterSeries(
  { sources, signal, options, labelSets }: CollectorContext<EventCounterOptions, unknown>,
  grid: StepGrid,
): Promise<StepSeries> {
  const definitions = eventCounterDefinitions(options, labelSets);
  const windowDefinitions = eventWindowDefinitions(options, labelSets);
  const events = [...new Set(definitions.map((d) => d.event))];
  const propertyKeys = propertyKeysOf(definitions);
  const windowsMs = options.windowsDays.map((days) => days * dayMs);
  const { extension, extended } = extendedBackByWindows(grid, windowsMs);

  const { main, windows } = await sources.events.readOnly(signal, async (query) => {
    const main = await bucketCounts(query, options.table, events, propertyKeys, extended);
    const windows: WindowSource[] = [];
    for (const w of windowsMs) {
      if (w % grid.stepMs === 0) windows.push({ kind: 'lag', steps: w / grid.stepMs });
      else {
        const shifted = { ...grid, firstMs: grid.firstMs - w };
        const byBucket = await bucketCounts(query, options.table, events, propertyKeys, shifted);
        windows.push({ kind: 'shifted', byBucket });
      }
    }
    return { main, windows };
  });

  const lead = new RunningTotals(main);
  const lags = windows.map(
    (source) => new RunningTotals(source.kind === 'lag' ? main : source.byBucket),
  );
  const lagIndex = (source: WindowSource, index: number) =>
    source.kind === 'lag' ? index + extension - source.steps : index;
  // The as-of query lists a group in every window when it has events in the longest one.
  const longest = windowsMs.indexOf(Math.max(...windowsMs));

  return (index) => {
    const now = lead.at(index + extension);
    const before = windows.map((source, i) =>
      (lags[i] as RunningTotals).at(lagIndex(source, index)),
    );
    const inWindow = (i: number, key: string) =>
      (now.get(key) ?? 0) - ((before[i] as EventCounts).get(key) ?? 0);
    const listed = [...now.keys()].filter((key) => inWindow(longest, key) > 0);
    const gauges: CounterValue[] = options.windowsDays.flatMap((days, i) => {
      const totals: EventCounts = new Map(listed.map((key) => [key, inWindow(i, key)]));
      return countersFromTotals(totals, windowDefinitions, propertyKeys).map((value) => ({
        ...value,
        labels: { ...value.labels, window: `${days}d` },
      }));
    });
    return [...countersFromTotals(now, definitions, propertyKeys), ...gauges].map(
      ({ metric, labels, value }) => sample(metric, value, labels),
    );
  };
}
