/**
 * The as-of forms of the collectors whose live runs keep state: the lifetime
 * counters (events, referrals, tickets created). Live, they count
 * incrementally (by id or by the database clock) and never fall, even when
 * rows are deleted; that cannot be replayed for a past instant. Their as-of
 * form counts, in one pass and without state, the rows that exist now with a
 * timestamp at or before `at` (occurred_at, sent_at and completed_at,
 * created_at): what a backfill writes. It equals the live value when no row
 * was deleted and none was written with a past timestamp after the fact.
 * Their gauges (the `_in_window` ones, tickets by status, timings) are the
 * same code as the live run's.
 */
import { type Sample, sample } from '../metrics/spec.js';
import { boundLabel } from '../shared/bounded-labels.js';
import { bindAtParameter } from '../shared/sql-text.js';
import { columnValue, parseNumericCell } from '../sources/query-contract.js';
import {
  type EventCounterOptions,
  eventCounterDefinitions,
  eventWindowDefinitions,
} from './event-counter-specs.js';
import { propertyKeysOf } from './event-counter-state.js';
import { countersFromTotals, type EventCounts, groupKey } from './event-counts.js';
import { countEventWindows } from './event-windows.js';
import {
  countReferrals,
  type ReferralOptions,
  referralWindowSamples,
} from './postgres-referrals.js';
import {
  createdCounterSamples,
  type SupportTicketOptions,
  supportTicketQueries,
  ticketGauges,
  ticketPriorities,
} from './postgres-support-tickets.js';
import { runNamedQuery } from './sql-queries.js';
import type { CollectorContext } from './types.js';

type Context<Options> = Pick<
  CollectorContext<Options, unknown>,
  'sources' | 'signal' | 'options' | 'labelSets' | 'reject' | 'at'
>;

/** Events by name and tracked property with occurred_at at or before `$at`. $1 the names, $2... the keys. */
export function eventCountAsOfSql(table: string, propertyCount: number): string {
  const properties = Array.from(
    { length: propertyCount },
    (_, i) => `properties ->> $${i + 2} AS p${i}`,
  );
  const groupBy = Array.from({ length: propertyCount + 1 }, (_, i) => String(i + 1));
  return `SELECT event_name, ${[...properties, 'count(*) AS n'].join(', ')}
FROM ${table}
WHERE event_name = ANY($1::text[]) AND occurred_at <= $at
GROUP BY ${groupBy.join(', ')}`;
}

/** analytics_event_counters as of `at`: the lifetime counters by occurred_at, and the windows. */
export async function eventCountersAsOf(ctx: Context<EventCounterOptions>): Promise<Sample[]> {
  const { options, labelSets, at } = ctx;
  const definitions = eventCounterDefinitions(options, labelSets);
  const propertyKeys = propertyKeysOf(definitions);
  const events = [...new Set(definitions.map((d) => d.event))];
  const values = await ctx.sources.events.readOnly(ctx.signal, async (query) => {
    const statement = bindAtParameter(eventCountAsOfSql(options.table, propertyKeys.length));
    const result = await query(statement.sql, [events, ...propertyKeys, at.toISOString()], {
      asText: true,
    });
    const totals: EventCounts = new Map();
    for (const row of result.rows) {
      const properties = propertyKeys.map((_, i) => {
        const value = row[`p${i}`];
        return value === null || value === undefined ? null : String(value);
      });
      totals.set(groupKey(String(row.event_name), properties), parseNumericCell(row.n) ?? 0);
    }
    const windows = await countEventWindows(
      query,
      options.table,
      eventWindowDefinitions(options, labelSets),
      options.windowsDays,
      at,
    );
    return [...countersFromTotals(totals, definitions, propertyKeys), ...windows];
  });
  return values.map(({ metric, labels, value }) => sample(metric, value, labels));
}

/** postgres_referrals as of `at`: invitations sent and completed by then, and the windows. */
export async function referralsAsOf(ctx: Context<ReferralOptions>): Promise<Sample[]> {
  const { options, reject, at } = ctx;
  return ctx.sources.app.readOnly(ctx.signal, async (query) => [
    sample(
      'chom_referrals_sent_total',
      await countReferrals(query, options, reject, 'sent', null, at.toISOString()),
    ),
    sample(
      'chom_referrals_completed_total',
      await countReferrals(query, options, reject, 'completed', null, at.toISOString()),
    ),
    ...(await referralWindowSamples(query, options, reject, at)),
  ]);
}

/** postgres_support_tickets as of `at`: tickets created by then by priority, and every gauge. */
export async function supportTicketsAsOf(ctx: Context<SupportTicketOptions>): Promise<Sample[]> {
  const { options, reject, at } = ctx;
  return ctx.sources.app.readOnly(ctx.signal, async (query) => {
    const rows = await runNamedQuery(
      query,
      supportTicketQueries,
      options.queries,
      'created_totals',
      [at.toISOString()],
      reject,
    );
    const created = new Map<string, number>();
    for (const row of rows) {
      const priority = boundLabel(row.labels.priority, ticketPriorities);
      created.set(priority, (created.get(priority) ?? 0) + columnValue(row, 'tickets'));
    }
    return [...(await ticketGauges(query, options, reject, at)), ...createdCounterSamples(created)];
  });
}
