import { z } from 'zod';
import { type Sample, sample } from '../metrics/spec.js';
import { boundLabel, sumByKey } from './bounded-labels.js';
import { columnValue, type QuerySpec } from './query-contract.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import {
  copyTicketCountState,
  countCreated,
  createTicketCountState,
  type TicketCountState,
} from './ticket-counts.js';
import type { Collector } from './types.js';

export const ticketStatuses = ['open', 'in_progress', 'resolved'] as const;
export const ticketPriorities = ['critical', 'high', 'medium', 'low'] as const;

export const supportTicketQueries = {
  by_status: {
    sql: `SELECT status, priority, count(*) AS tickets FROM support_tickets GROUP BY status, priority`,
    labels: ['status', 'priority'],
    values: ['tickets'],
  },
  /** Mean creation-to-resolution time of tickets resolved in the trailing `$1` days. */
  resolution: {
    sql: `SELECT priority, avg(extract(epoch FROM resolved_at - created_at))::float8 AS seconds
FROM support_tickets
WHERE resolved_at >= now() - make_interval(days => $1::int)
GROUP BY priority`,
    labels: ['priority'],
    values: ['seconds'],
  },
  /** Mean creation-to-first-response time of tickets first answered in the trailing `$1` days. */
  first_response: {
    sql: `SELECT priority, avg(extract(epoch FROM first_response_at - created_at))::float8 AS seconds
FROM support_tickets
WHERE first_response_at >= now() - make_interval(days => $1::int)
GROUP BY priority`,
    labels: ['priority'],
    values: ['seconds'],
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
} satisfies Record<string, QuerySpec>;

const optionsSchema = z
  .object({
    windowDays: z.number().int().min(1).max(365).default(30).describe('Trailing window in days.'),
    queries: queryOverridesSchema(supportTicketQueries),
  })
  .strict();

type Options = z.infer<typeof optionsSchema>;

export const postgresSupportTickets: Collector<Options, TicketCountState> = {
  name: 'postgres_support_tickets',
  description:
    'Support tickets by status and priority, created-ticket counter, mean resolution and first-response times (30 days).',
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
  async collect({ sources, signal, options, state, reject }) {
    return sources.app.readOnly(signal, async (query) => {
      const statusRows = await runNamedQuery(
        query,
        supportTicketQueries,
        options.queries,
        'by_status',
        [],
        reject,
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
      await countCreated(
        query,
        state,
        (name, params) =>
          runNamedQuery(query, supportTicketQueries, options.queries, name, params, reject),
        ticketPriorities,
      );
      for (const priority of new Set([...ticketPriorities, ...state.created.keys()]))
        samples.push(
          sample('chom_support_tickets_created_total', state.created.get(priority) ?? 0, {
            priority,
          }),
        );

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
        );
        for (const row of rows) {
          const priority = boundLabel(row.labels.priority, ticketPriorities);
          samples.push(sample(metric, columnValue(row, 'seconds'), { priority }));
        }
      }
      return samples;
    });
  },
};
