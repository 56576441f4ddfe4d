/**
 * The created-ticket counter, by priority, counted so that it only rises while
 * the process runs: the first round takes the table's totals; later rounds add
 * the tickets created since, each once, under the priority it had when first
 * counted. A deleted ticket stays counted and a ticket whose priority changes
 * is not moved to another series (either would make a series fall).
 *
 * Each round reads again the tickets created in the last OVERLAP before the
 * previous round's time and skips those it already counted, so a ticket whose
 * transaction committed a little after its created_at is not lost.
 */

import { boundLabel } from '../shared/bounded-labels.js';
import { type ContractRow, columnValue } from '../sources/query-contract.js';
import type { QueryFn } from '../sources/sql-source.js';

export const TICKET_OVERLAP = '10 minutes';

export interface TicketCountState {
  created: Map<string, number>;
  /** The database time up to which tickets were counted (timestamptz text); undefined before the first round. */
  countedUpTo: string | undefined;
  /** Ids of the tickets last read, some of which the next round reads again. */
  recent: Set<string>;
}

export function createTicketCountState(): TicketCountState {
  return { created: new Map(), countedUpTo: undefined, recent: new Set() };
}

/** A copy that shares nothing with `state`, for the next runner after a reload. */
export function copyTicketCountState(state: TicketCountState): TicketCountState {
  return { ...state, created: new Map(state.created), recent: new Set(state.recent) };
}

export interface TicketRound {
  readonly asOf: string;
  /** First round only: tickets created up to `asOf`, by (bounded) priority. */
  readonly totals?: readonly { readonly priority: string; readonly tickets: number }[];
  /** Tickets created in the overlap before the last round's time and since, up to `asOf`. */
  readonly recent: readonly { readonly ticket: string; readonly priority: string }[];
}

/** Applies a round, once the whole round was read. */
export function applyTicketRound(state: TicketCountState, round: TicketRound): void {
  if (round.totals) {
    state.created = new Map();
    for (const { priority, tickets } of round.totals)
      state.created.set(priority, (state.created.get(priority) ?? 0) + tickets);
  } else {
    for (const { ticket, priority } of round.recent) {
      if (state.recent.has(ticket)) continue;
      state.created.set(priority, (state.created.get(priority) ?? 0) + 1);
    }
  }
  state.recent = new Set(round.recent.map(({ ticket }) => ticket));
  state.countedUpTo = round.asOf;
}

/** Runs one of the created-counter queries (possibly overridden) with its contract. */
type RunQuery = (
  name: 'created_totals' | 'created_recent',
  params: readonly unknown[],
) => Promise<ContractRow[]>;

/**
 * Reads the tickets created since the last round (and the totals, the first
 * time) in the run's snapshot, then updates the state: a failed read leaves it
 * as it was.
 */
export async function countCreated(
  query: QueryFn,
  state: TicketCountState,
  run: RunQuery,
  priorities: readonly string[],
): Promise<void> {
  const clock = await query(
    `SELECT now()::text AS as_of, (coalesce($1::timestamptz, now()) - interval '${TICKET_OVERLAP}')::text AS since`,
    [state.countedUpTo ?? null],
    { asText: true },
  );
  const asOf = String(clock.rows[0]?.as_of);
  const bounded = (priority: string | null | undefined) => boundLabel(priority, priorities);
  const totals =
    state.countedUpTo === undefined
      ? (await run('created_totals', [asOf])).map((row) => ({
          priority: bounded(row.labels.priority),
          tickets: columnValue(row, 'tickets'),
        }))
      : undefined;
  const recent = (await run('created_recent', [clock.rows[0]?.since, asOf])).map((row) => ({
    ticket: String(row.labels.ticket),
    priority: bounded(row.labels.priority),
  }));
  applyTicketRound(state, { asOf, recent, ...(totals ? { totals } : {}) });
}
