import { sample } from '../metrics/spec.js';
import { parseNumericCell } from '../sources/query-contract.js';
import {
  type EventCounterOptions,
  eventCounterDefinitions,
  eventCounterMetrics,
  eventCounterOptionsSchema,
  eventWindowDefinitions,
  eventWindowMetrics,
} from './event-counter-specs.js';
import {
  applyRound,
  createEventCounterState,
  type EventCounterState,
  exportedCounters,
  inheritEventCounterState,
  planRound,
  propertyKeysOf,
} from './event-counter-state.js';
import type { EventGroupRow } from './event-counts.js';
import { countEventWindows } from './event-windows.js';
import type { Collector } from './types.js';

/** Grouped counts of events with ids in (after, upTo]; `after` undefined counts from the start. */
export function groupedCountSql(table: string, propertyCount: number): string {
  const properties = Array.from(
    { length: propertyCount },
    (_, i) => `properties ->> $${i + 4} AS p${i}`,
  );
  const groupBy = Array.from({ length: propertyCount + 1 }, (_, i) => String(i + 1));
  return `SELECT event_name, ${[...properties, 'count(*) AS n'].join(', ')}
FROM ${table}
WHERE ($1::bigint IS NULL OR id > $1::bigint) AND id <= $2::bigint AND event_name = ANY($3::text[])
GROUP BY ${groupBy.join(', ')}`;
}

export const analyticsEventCounters: Collector<EventCounterOptions, EventCounterState> = {
  name: 'analytics_event_counters',
  description:
    'Funnel, signup, login, feature and landing-page counters from the analytics events table, counted incrementally, and the funnel, signup and landing-page events of trailing windows.',
  source: 'analytics',
  defaultSchedule: '* * * * *',
  defaultTimeoutSeconds: 300,
  optionsSchema: eventCounterOptionsSchema,
  metrics: [...eventCounterMetrics, ...eventWindowMetrics],
  createState: createEventCounterState,
  inheritState: inheritEventCounterState,
  async collect({ sources, signal, options, state, labelSets, log, now, at }) {
    const definitions = eventCounterDefinitions(options, labelSets);
    const events = [...new Set(definitions.map((d) => d.event))];
    const propertyKeys = propertyKeysOf(definitions);
    const startedAt = now();

    const { plan, upTo, rows, windows } = await sources.events.readOnly(signal, async (query) => {
      const max = await query(`SELECT coalesce(max(id), 0)::text AS max_id FROM ${options.table}`);
      const upTo = String(max.rows[0]?.max_id ?? '0');
      const plan = planRound(state, upTo, startedAt, options.recountIntervalSeconds * 1000);
      const result = await query(groupedCountSql(options.table, propertyKeys.length), [
        plan.after,
        upTo,
        events,
        ...propertyKeys,
      ]);
      const windows = await countEventWindows(
        query,
        options.table,
        eventWindowDefinitions(options, labelSets),
        options.windowsDays,
        at,
      );
      return {
        plan,
        upTo,
        rows: result.rows.map((row) => toGroupRow(row, propertyKeys.length)),
        windows,
      };
    });

    // Only now, with the whole round read, is the state changed: a failed round leaves it as it was.
    if (plan.reset) {
      log.warn(
        { table: options.table, lastIdSeen: state.watermark, highestIdNow: upTo },
        'the events table restarted its ids (truncated or recreated): counting it on top of the totals so far',
      );
    }
    applyRound(state, plan, rows, upTo, startedAt, definitions);
    if (plan.recount) log.info({ watermark: upTo, groups: rows.length }, 'counted all events');
    return [...exportedCounters(state, definitions), ...windows].map(({ metric, labels, value }) =>
      sample(metric, value, labels),
    );
  },
};

function toGroupRow(row: Record<string, unknown>, propertyCount: number): EventGroupRow {
  const properties = Array.from({ length: propertyCount }, (_, i) => {
    const value = row[`p${i}`];
    return value === null || value === undefined ? null : String(value);
  });
  return { event: String(row.event_name), properties, count: parseNumericCell(row.n) ?? 0 };
}
