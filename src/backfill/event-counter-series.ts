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
 * grid of instants as per-step bucket counts then summed in step order:
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
import { parseNumericCell } from '../collectors/query-contract.js';
import type { CollectorContext } from '../collectors/types.js';
import { sample } from '../metrics/spec.js';
import type { QueryFn } from '../sources/sources.js';
import type { StepGrid, StepSeries } from './series-hook.js';

const dayMs = 86_400_000;

/**
 * Events up to the grid's last instant, grouped by event, tracked properties
 * and bucket: bucket j (> 0) holds the events with occurred_at in
 * (origin + (j-1)·step, origin + j·step], bucket 0 every event up to the
 * origin, so the sum of buckets 0..j is the count as of origin + j·step.
 * The arithmetic is numeric (exact to the microsecond). $1 the origin and $2
 * the step in epoch seconds, $3 the last instant, $4 the event names, $5... the keys.
 */
export function stepCountSql(table: string, propertyCount: number): string {
  const properties = Array.from(
    { length: propertyCount },
    (_, i) => `properties ->> $${i + 5} AS p${i}`,
  );
  const groupBy = Array.from({ length: propertyCount + 2 }, (_, i) => String(i + 1));
  const bucket =
    'greatest(0, ceil((extract(epoch FROM occurred_at) - $1::numeric) / $2::numeric))::bigint AS bucket';
  return `SELECT event_name, ${[...properties, bucket, 'count(*) AS n'].join(', ')}
FROM ${table}
WHERE occurred_at <= $3::timestamptz AND event_name = ANY($4::text[])
GROUP BY ${groupBy.join(', ')}`;
}

/** Grouped new events by bucket of the grid: as many entries as buckets that saw events. */
async function bucketCounts(
  query: QueryFn,
  table: string,
  events: readonly string[],
  propertyKeys: readonly string[],
  grid: StepGrid,
): Promise<Map<number, EventGroupRow[]>> {
  const last = grid.firstMs + (grid.count - 1) * grid.stepMs;
  const result = await query(stepCountSql(table, propertyKeys.length), [
    (grid.firstMs / 1000).toString(),
    (grid.stepMs / 1000).toString(),
    new Date(last).toISOString(),
    events,
    ...propertyKeys,
  ]);
  const byBucket = new Map<number, EventGroupRow[]>();
  for (const row of result.rows) {
    const bucket = Number(row.bucket);
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
  const onGrid = windowsMs.filter((w) => w % grid.stepMs === 0);
  const extension = Math.max(0, ...onGrid.map((w) => w / grid.stepMs));
  const extended: StepGrid = {
    firstMs: grid.firstMs - extension * grid.stepMs,
    stepMs: grid.stepMs,
    count: grid.count + extension,
  };

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
