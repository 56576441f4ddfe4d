import { z } from 'zod';
import { type Sample, sample } from '../metrics/spec.js';
import { boundLabel, type MeanEntry, meanByKey, sumByKey } from '../shared/bounded-labels.js';
import type { Reject } from '../shared/reject.js';
import { columnValue, optionalColumnValue, type QuerySpec } from '../sources/query-contract.js';
import type { QueryFn } from '../sources/sql-source.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import {
  copyTicketCountState,
  countCreated,
  createTicketCountState,
  type TicketCountState,
} from './ticket-counts.js';
import type { Collector } from './types.js';
import { windowOf, windowsDaysSchema } from './window-rows.js';

export const ticketStatuses = ['open', 'in_progress', 'resolved'] as const;
export const ticketPriorities = ['critical', 'high', 'medium', 'low'] as const;

/**
 * A ticket's status as of the instant `instant` (an SQL expression): the
 * current status, with the steps stamped after it undone (resolved_at,
 * first_response_at). Steps without a time (a reopened ticket) cannot be
 * undone. by_status reads it at `$at`; the backfill's grouped pass
 * (backfill/support-ticket-series.ts) at each instant a ticket's status changes.
 */
export function ticketStatusAsOfSql(instant: string): string {
  return `CASE
    WHEN resolved_at > ${instant} THEN CASE WHEN first_response_at <= ${instant} THEN 'in_progress' ELSE 'open' END
    WHEN status = 'in_progress' AND first_response_at > ${instant} THEN 'open'
    ELSE status END`;
}

export const supportTicketQueries = {
  /** Tickets created by `$at`, in the status they had then (`ticketStatusAsOfSql`). */
  by_status: {
    sql: `SELECT ${ticketStatusAsOfSql('$at')} AS status,
  priority, count(*) AS tickets
FROM support_tickets WHERE created_at <= $at GROUP BY 1, 2`,
    labels: ['status', 'priority'],
    values: ['tickets'],
  },
  /**
   * Mean creation-to-resolution time of tickets resolved in the `$1` days up
   * to `$at`, and how many (`tickets`: the weight when raw priorities bound
   * to one label are merged, see `timingSamples`; optional for overrides
   * written before it).
   */
  resolution: {
    sql: `SELECT priority, avg(extract(epoch FROM resolved_at - created_at))::float8 AS seconds,
  count(*) AS tickets
FROM support_tickets
WHERE resolved_at >= $at - make_interval(days => $1::int) AND resolved_at <= $at
GROUP BY priority`,
    labels: ['priority'],
    values: ['seconds'],
    optionalValues: ['tickets'],
  },
  /** Mean creation-to-first-response time of tickets first answered in the `$1` days up to `$at`, and how many (as resolution). */
  first_response: {
    sql: `SELECT priority, avg(extract(epoch FROM first_response_at - created_at))::float8 AS seconds,
  count(*) AS tickets
FROM support_tickets
WHERE first_response_at >= $at - make_interval(days => $1::int) AND first_response_at <= $at
GROUP BY priority`,
    labels: ['priority'],
    values: ['seconds'],
    optionalValues: ['tickets'],
  },
  /** Tickets created up to $1, by priority: the created counter's first round. */
  created_totals: {
    sql: `SELECT priority, count(*) AS tickets FROM support_tickets
WHERE created_at <= $1::timestamptz GROUP BY priority`,
    labels: ['priority'],
    values: ['tickets'],
  },
  /** Each ticket created in ($1, $2]: later rounds of the created counter (see ticket-counts.ts). */
  created_recent: {
    sql: `SELECT id::text AS ticket, priority FROM support_tickets
WHERE created_at > $1::timestamptz AND created_at <= $2::timestamptz`,
    labels: ['ticket', 'priority'],
    values: [],
  },
  /** Tickets created in each trailing window of `$1` (days) ending at `$at`, by priority. */
  created_in_window: {
    sql: `SELECT w.days::text AS days, t.priority, count(*) AS tickets
FROM unnest($1::int[]) AS w(days)
JOIN support_tickets t
  ON t.created_at > $at - make_interval(days => w.days) AND t.created_at <= $at
GROUP BY w.days, t.priority`,
    labels: ['days', 'priority'],
    values: ['tickets'],
  },
} satisfies Record<string, QuerySpec>;

const optionsSchema = z
  .object({
    windowDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(30)
      .describe('Trailing window of the resolution and first-response times, in days.'),
    createdWindowsDays: windowsDaysSchema,
    queries: queryOverridesSchema(supportTicketQueries),
  })
  .strict();

export type SupportTicketOptions = z.infer<typeof optionsSchema>;
type Options = SupportTicketOptions;

export const postgresSupportTickets: Collector<Options, TicketCountState> = {
  name: 'postgres_support_tickets',
  description:
    'Support tickets by status and priority, tickets created (counter, and over trailing windows), mean resolution and first-response times (30 days).',
  source: 'postgres',
  defaultSchedule: '*/5 * * * *',
  defaultTimeoutSeconds: 60,
  optionsSchema,
  metrics: [
    {
      name: 'chom_support_tickets',
      help: 'Support tickets currently in each status, by priority.',
      type: 'gauge',
      labelNames: ['status', 'priority'],
      unit: 'count',
      seedName: 'chom_support_tickets_total{status,priority}',
      seedMapping: 'a gauge of current tickets must not end in _total',
    },
    {
      name: 'chom_support_tickets_created_total',
      help: 'Support tickets ever created, by the priority they had when counted (for rate() of incoming volume); a deleted or reprioritised ticket stays where it was counted, so no series falls while the process runs.',
      type: 'counter',
      labelNames: ['priority'],
      unit: 'count',
    },
    {
      name: 'chom_support_tickets_created_in_window',
      help: 'Support tickets created in the trailing window, by priority: created_at in the last n days of 24 hours up to the run\'s instant (window="<n>d"; 7d and 30d by default), priority as it is now.',
      type: 'gauge',
      labelNames: ['priority', 'window'],
      unit: 'count',
    },
    {
      name: 'chom_support_resolution_time_seconds',
      help: 'Mean time from creation to resolution of tickets resolved in the trailing window.',
      type: 'gauge',
      labelNames: ['priority'],
      unit: 'seconds',
      seedName: 'chom_support_resolution_time_hours{priority}',
      seedMapping: 'base unit: seconds, not hours',
    },
    {
      name: 'chom_support_first_response_time_seconds',
      help: 'Mean time from creation to first agent response, for tickets first answered in the trailing window.',
      type: 'gauge',
      labelNames: ['priority'],
      unit: 'seconds',
    },
  ],
  createState: createTicketCountState,
  inheritState(previous, next) {
    if (JSON.stringify(previous.options.queries) !== JSON.stringify(next.options.queries)) {
      next.log.warn(
        'support ticket queries changed: counting created tickets from the table again',
      );
      return undefined;
    }
    return copyTicketCountState(previous.state);
  },
  async collect({ sources, signal, options, state, reject, at }) {
    return sources.app.readOnly(signal, async (query) => {
      const gauges = await ticketGauges(query, options, reject, at);
      await countCreated(
        query,
        state,
        (name, params) =>
          runNamedQuery(query, supportTicketQueries, options.queries, name, params, reject),
        ticketPriorities,
      );
      return [...gauges, ...createdCounterSamples(state.created)];
    });
  },
};

/** The created counter's series: every priority, and any other a bounded label produced. */
export function createdCounterSamples(created: ReadonlyMap<string, number>): Sample[] {
  return [...new Set([...ticketPriorities, ...created.keys()])].map((priority) =>
    sample('chom_support_tickets_created_total', created.get(priority) ?? 0, { priority }),
  );
}

/** Every gauge of the collector, as of `at`: tickets by status, created in windows, timings. */
export async function ticketGauges(
  query: QueryFn,
  options: Options,
  reject: Reject,
  at: Date,
): Promise<Sample[]> {
  const statusRows = await runNamedQuery(
    query,
    supportTicketQueries,
    options.queries,
    'by_status',
    [],
    reject,
    at,
  );
  const zeroes = ticketStatuses.flatMap((status) =>
    ticketPriorities.map((priority) => ({ labels: { status, priority }, value: 0 })),
  );
  const counted = statusRows.map((row) => ({
    labels: {
      status: boundLabel(row.labels.status, ticketStatuses),
      priority: boundLabel(row.labels.priority, ticketPriorities),
    },
    value: columnValue(row, 'tickets'),
  }));
  const samples: Sample[] = sumByKey([...zeroes, ...counted]).map(({ labels, value }) =>
    sample('chom_support_tickets', value, labels),
  );
  samples.push(...(await createdInWindows(query, options, reject, at)));
  const timings = [
    ['resolution', 'chom_support_resolution_time_seconds'],
    ['first_response', 'chom_support_first_response_time_seconds'],
  ] as const;
  for (const [queryName, metric] of timings) {
    const rows = await runNamedQuery(
      query,
      supportTicketQueries,
      options.queries,
      queryName,
      [options.windowDays],
      reject,
      at,
    );
    const means = rows.map((row) => ({
      labels: { priority: boundLabel(row.labels.priority, ticketPriorities) },
      mean: columnValue(row, 'seconds'),
      weight: optionalColumnValue(row, 'tickets'),
    }));
    samples.push(...timingSamples(metric, queryName, means, reject));
  }
  return samples;
}

/**
 * One sample per bounded priority: the means of the raw priorities bounded
 * to it (`high` and `HIGH`, two unknowns → `other`) merged over all their
 * tickets (`meanByKey`). The backfill's grouped pass merges through it too
 * (support-ticket-samples.ts). Rows an override returns without `tickets`
 * cannot be merged: that priority gets no sample and its rows are counted as
 * `duplicate_series`, rather than exporting one raw priority's mean, or a
 * mean of means, under the merged label.
 */
export function timingSamples(
  metric: string,
  queryName: 'resolution' | 'first_response',
  means: readonly MeanEntry<{ priority: string }>[],
  reject: Reject,
): Sample[] {
  const { means: merged, unmerged } = meanByKey(means);
  for (const { labels, entries } of unmerged)
    reject(
      'duplicate_series',
      {
        query: queryName,
        labels,
        hint: `${entries} rows have priorities bounded to "${labels.priority}"; merging their means needs each row's ticket count: return a "tickets" column (count(*)), as the default query does`,
      },
      entries,
    );
  return merged.map(({ labels, value }) => sample(metric, value, labels));
}

/** The created-in-window gauges: every priority of every window, zero without tickets. */
async function createdInWindows(
  query: QueryFn,
  options: Options,
  reject: Reject,
  at: Date,
): Promise<Sample[]> {
  const rows = await runNamedQuery(
    query,
    supportTicketQueries,
    options.queries,
    'created_in_window',
    [options.createdWindowsDays],
    reject,
    at,
  );
  const zeroes = options.createdWindowsDays.flatMap((days) =>
    ticketPriorities.map((priority) => ({ labels: { priority, window: `${days}d` }, value: 0 })),
  );
  const counted = rows.flatMap((row) => {
    const window = windowOf(row, options.createdWindowsDays, reject, 'created_in_window');
    if (window === undefined) return [];
    const priority = boundLabel(row.labels.priority, ticketPriorities);
    return [{ labels: { priority, window }, value: columnValue(row, 'tickets') }];
  });
  return sumByKey([...zeroes, ...counted]).map(({ labels, value }) =>
    sample('chom_support_tickets_created_in_window', value, labels),
  );
}
