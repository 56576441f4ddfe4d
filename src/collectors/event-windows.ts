/**
 * The `_in_window` gauges of the event counters: events in the trailing
 * windows ending at the run's instant, counted by the source over the whole
 * window (not `increase()` over whatever history Prometheus holds), in one
 * grouped pass over the longest window.
 */

import { bindAtParameter } from '../shared/sql-text.js';
import { parseNumericCell } from '../sources/query-contract.js';
import type { QueryFn } from '../sources/sql-source.js';
import { propertyKeysOf } from './event-counter-state.js';
import type { CounterValue, EventCounterDefinition, EventCounts } from './event-counts.js';
import { countersFromTotals, groupKey } from './event-counts.js';

/**
 * Events by name and tracked property, one count column `w<i>` per window:
 * occurred_at in ($at - days, $at]. $1 the event names, $2... the property keys.
 */
export function windowedCountSql(
  table: string,
  propertyCount: number,
  windowsDays: readonly number[],
): string {
  const properties = Array.from(
    { length: propertyCount },
    (_, i) => `properties ->> $${i + 2} AS p${i}`,
  );
  // Validated integers (the collector's options), so written into the SQL.
  const since = (days: number) => `$at - make_interval(days => ${Math.trunc(days)})`;
  const counts = windowsDays.map(
    (days, i) => `count(*) FILTER (WHERE occurred_at > ${since(days)}) AS w${i}`,
  );
  const groupBy = Array.from({ length: propertyCount + 1 }, (_, i) => String(i + 1));
  return `SELECT event_name, ${[...properties, ...counts].join(', ')}
FROM ${table}
WHERE event_name = ANY($1::text[])
  AND occurred_at > ${since(Math.max(...windowsDays))} AND occurred_at <= $at
GROUP BY ${groupBy.join(', ')}`;
}

/** One series per gauge, label value and window: zero for every vocabulary value without events. */
export async function countEventWindows(
  query: QueryFn,
  table: string,
  definitions: readonly EventCounterDefinition[],
  windowsDays: readonly number[],
  at: Date,
): Promise<CounterValue[]> {
  const events = [...new Set(definitions.map((d) => d.event))];
  const propertyKeys = propertyKeysOf(definitions);
  const statement = bindAtParameter(windowedCountSql(table, propertyKeys.length, windowsDays));
  const result = await query(statement.sql, [events, ...propertyKeys, at.toISOString()], {
    asText: true,
  });
  return windowsDays.flatMap((days, i) => {
    const totals: EventCounts = new Map();
    for (const row of result.rows) {
      const properties = propertyKeys.map((_, p) => {
        const value = row[`p${p}`];
        return value === null || value === undefined ? null : String(value);
      });
      const key = groupKey(String(row.event_name), properties);
      totals.set(key, (totals.get(key) ?? 0) + (parseNumericCell(row[`w${i}`]) ?? 0));
    }
    return countersFromTotals(totals, definitions, propertyKeys).map((value) => ({
      ...value,
      labels: { ...value.labels, window: `${days}d` },
    }));
  });
}
