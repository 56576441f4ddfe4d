import {
  type EventCounterOptions,
  eventCounterDefinitions,
} from '../collectors/event-counter-specs.js';
import { propertyKeysOf } from '../collectors/event-counter-state.js';
import {
  addCounts,
  countersFromTotals,
  type EventCounts,
  type EventGroupRow,
} from '../collectors/event-counts.js';
import type { CollectorContext } from '../collectors/types.js';
import { sample } from '../metrics/spec.js';
import { parseNumericCell } from '../sources/query-contract.js';
import type { StepGrid, StepSeries } from './series-hook.js';

/**
 * The events up to the grid's last instant, counted once, grouped by event,
 * tracked properties and the first step at or after which each event happened
 * (step 0 takes every event up to the first instant). The cumulative sum over
 * steps is then each counter as of each step: events with `occurred_at` at or
 * before the instant, as a live run at that instant counts them.
 */
export function stepCountSql(table: string, propertyCount: number): string {
  const properties = Array.from(
    { length: propertyCount },
    (_, i) => `properties ->> $${i + 5} AS p${i}`,
  );
  const groupBy = Array.from({ length: propertyCount + 2 }, (_, i) => String(i + 1));
  return `SELECT event_name, ${[...properties, 'greatest(0, ceil(extract(epoch FROM occurred_at - $1::timestamptz) / $2::double precision))::bigint AS step', 'count(*) AS n'].join(', ')}
FROM ${table}
WHERE occurred_at <= $3::timestamptz AND event_name = ANY($4::text[])
GROUP BY ${groupBy.join(', ')}`;
}

/** The `analytics_event_counters` collector over a grid in one query: see stepCountSql. */
export async function eventCounterSeries(
  { sources, signal, options, labelSets }: CollectorContext<EventCounterOptions, unknown>,
  grid: StepGrid,
): Promise<StepSeries> {
  const definitions = eventCounterDefinitions(options, labelSets);
  const events = [...new Set(definitions.map((d) => d.event))];
  const propertyKeys = propertyKeysOf(definitions);
  const last = grid.firstMs + (grid.count - 1) * grid.stepMs;
  const rows = await sources.events.readOnly(signal, async (query) => {
    const result = await query(stepCountSql(options.table, propertyKeys.length), [
      new Date(grid.firstMs).toISOString(),
      grid.stepMs / 1000,
      new Date(last).toISOString(),
      events,
      ...propertyKeys,
    ]);
    return result.rows;
  });
  // New events by step: as many entries as steps that saw events, not as many as steps.
  const byStep = new Map<number, EventGroupRow[]>();
  for (const row of rows) {
    const step = Number(row.step);
    const group: EventGroupRow = {
      event: String(row.event_name),
      properties: propertyKeys.map((_, i) => {
        const value = row[`p${i}`];
        return value === null || value === undefined ? null : String(value);
      }),
      count: parseNumericCell(row.n) ?? 0,
    };
    const list = byStep.get(step);
    if (list) list.push(group);
    else byStep.set(step, [group]);
  }
  const totals: EventCounts = new Map();
  let next = 0;
  return (index) => {
    if (index < next - 1) throw new Error('event counter series: steps asked out of order');
    for (; next <= index; next += 1) addCounts(totals, byStep.get(next) ?? []);
    return countersFromTotals(totals, definitions, propertyKeys).map(({ metric, labels, value }) =>
      sample(metric, value, labels),
    );
  };
}
