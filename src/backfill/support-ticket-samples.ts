/**
 * The samples of `postgres_support_tickets` at one step, from the tallies
 * the grouped pass sums (support-ticket-series.ts), shaped as its as-of form
 * shapes its query rows (`ticketGauges`, `createdCounterSamples`): the same
 * series, the same zero series, raw values bounded (and means merged) the
 * same way. A query row exists only for a group with at least one ticket, so
 * a group whose tally is zero here adds nothing (not even an `other` series
 * at zero).
 */
import {
  createdCounterSamples,
  type SupportTicketOptions,
  ticketPriorities,
  ticketStatuses,
  timingSamples,
} from '../collectors/postgres-support-tickets.js';
import { type Sample, sample } from '../metrics/spec.js';
import { boundLabel, sumByKey } from '../shared/bounded-labels.js';
import type { Reject } from '../shared/reject.js';
import type { Tally } from './running-tallies.js';

export const stampKinds = ['created', 'first_response', 'resolution'] as const;
export type StampKind = (typeof stampKinds)[number];

/** What one step's samples are made of; groups are JSON arrays of raw label values. */
export interface TicketTallies {
  /** Tickets by [status, priority] as of the step. */
  readonly status: ReadonlyMap<string, Tally>;
  /** Tickets by [priority] created by the step. */
  readonly created: ReadonlyMap<string, Tally>;
  /** Tickets by [priority] created in the trailing `days`. */
  createdIn(days: number): ReadonlyMap<string, Tally>;
  /** Tickets by [priority] first answered or resolved in the trailing `days`, with the durations. */
  timedIn(kind: 'first_response' | 'resolution', days: number): ReadonlyMap<string, Tally>;
}

const timings = [
  ['resolution', 'chom_support_resolution_time_seconds'],
  ['first_response', 'chom_support_first_response_time_seconds'],
] as const;

/** Every mean here has a positive ticket count, so every priority merges: nothing to reject. */
const unmergeable: Reject = (reason, detail) => {
  throw new Error(`support tickets' grouped pass: ${reason} ${JSON.stringify(detail)}`);
};

/** The groups with tickets, as their raw label values. */
function counted(tallies: ReadonlyMap<string, Tally>): { raw: (string | null)[]; tally: Tally }[] {
  return [...tallies]
    .filter(([, tally]) => tally.count > 0)
    .map(([group, tally]) => ({ raw: JSON.parse(group) as (string | null)[], tally }));
}

export function ticketSamples(options: SupportTicketOptions, tallies: TicketTallies): Sample[] {
  const byStatus = sumByKey([
    ...ticketStatuses.flatMap((status) =>
      ticketPriorities.map((priority) => ({ labels: { status, priority }, value: 0 })),
    ),
    ...counted(tallies.status).map(({ raw: [status, priority], tally }) => ({
      labels: {
        status: boundLabel(status, ticketStatuses),
        priority: boundLabel(priority, ticketPriorities),
      },
      value: tally.count,
    })),
  ]).map(({ labels, value }) => sample('chom_support_tickets', value, labels));

  const createdInWindows = sumByKey([
    ...options.createdWindowsDays.flatMap((days) =>
      ticketPriorities.map((priority) => ({ labels: { priority, window: `${days}d` }, value: 0 })),
    ),
    ...options.createdWindowsDays.flatMap((days) =>
      counted(tallies.createdIn(days)).map(({ raw: [priority], tally }) => ({
        labels: { priority: boundLabel(priority, ticketPriorities), window: `${days}d` },
        value: tally.count,
      })),
    ),
  ]).map(({ labels, value }) => sample('chom_support_tickets_created_in_window', value, labels));

  // One mean per raw priority with tickets in the window, as the query's rows, merged per
  // bounded priority by the collector's own code, weighted by the tickets counted.
  const means = timings.flatMap(([kind, metric]) =>
    timingSamples(
      metric,
      kind,
      counted(tallies.timedIn(kind, options.windowDays)).map(({ raw: [priority], tally }) => ({
        labels: { priority: boundLabel(priority, ticketPriorities) },
        mean: Number(tally.micros) / (tally.count * 1e6),
        weight: tally.count,
      })),
      unmergeable,
    ),
  );

  const created = new Map<string, number>();
  for (const {
    raw: [priority],
    tally,
  } of counted(tallies.created)) {
    const bounded = boundLabel(priority, ticketPriorities);
    created.set(bounded, (created.get(bounded) ?? 0) + tally.count);
  }
  return [...byStatus, ...createdInWindows, ...means, ...createdCounterSamples(created)];
}
