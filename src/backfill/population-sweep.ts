/**
 * The organizations and users alive at each step of a grid, swept once over
 * the range instead of read from the whole users table at every step. A row
 * is alive at t iff created_at <= t AND (deleted_at IS NULL OR deleted_at > t),
 * as the collectors' as-of SQL says. On the grid's buckets (grid-buckets.ts:
 * bucket 0 = at or before the first instant, bucket j = (instant j-1,
 * instant j]) that is: alive at step j iff bucket(created_at) <= j <
 * bucket(deleted_at). So a row adds +1 at its creation's bucket and -1 at its
 * deletion's (a creation on an instant counts there, a deletion on an instant
 * means gone there); one deleted at or before its creation is never alive and
 * gives no change at all (else its -1 could come before its +1).
 *
 * The state at the first instant is read in one statement; the changes after
 * it a slice of `stepsPerStatement` steps at a time, when a step opens the
 * slice, grouped by (key, bucket) with zero sums left out: O(changes) rows per
 * range, and only one slice of them in memory.
 */
import { parseNumericCell } from '../sources/query-contract.js';
import type { QueryFn } from '../sources/sql-source.js';
import { stepsPerStatement } from './event-counter-series.js';
import { binSql, bucketOf, instantText } from './grid-buckets.js';
import type { StepGrid } from './step-grid.js';

/**
 * A table with created_at and deleted_at, counted per `key` (a bigint column).
 * Both are the exporter's own names (never user input): written as they are.
 */
interface Lifetimes {
  readonly table: string;
  readonly key: string;
}

const organizations: Lifetimes = { table: 'organizations', key: 'id' };
const users: Lifetimes = { table: 'users', key: 'organization_id' };

/** Rows alive at the grid's first instant ($1), counted per key. */
export function aliveAtSql({ table, key }: Lifetimes): string {
  return `SELECT ${key} AS key, count(*) AS delta FROM ${table}
WHERE created_at <= $1::timestamptz AND (deleted_at IS NULL OR deleted_at > $1::timestamptz)
GROUP BY ${key}`;
}

/**
 * Changes in ($3, $4] per key and bucket (bin and edge, $1 the first instant,
 * $2 the step in milliseconds): +1 per creation of a row that is ever alive,
 * -1 per deletion after its creation. The creation range can use an index on
 * created_at.
 */
export function changesSql({ table, key }: Lifetimes): string {
  return `SELECT key, bin, stamp = bin AS edge, sum(delta) AS delta
FROM (
  SELECT key, stamp, delta, ${binSql('stamp')} AS bin
  FROM (
    SELECT ${key} AS key, created_at AS stamp, 1 AS delta FROM ${table}
    WHERE created_at > $3::timestamptz AND created_at <= $4::timestamptz
      AND (deleted_at IS NULL OR deleted_at > created_at)
    UNION ALL
    SELECT ${key}, deleted_at, -1 FROM ${table}
    WHERE deleted_at > $3::timestamptz AND deleted_at <= $4::timestamptz
      AND deleted_at > created_at
  ) AS changes
) AS binned
GROUP BY 1, 2, 3
HAVING sum(delta) <> 0`;
}

/** An organization alive at a step, with how many of its users are alive then (0 or more). */
export interface AliveOrganization {
  readonly id: string;
  readonly users: number;
}

/** Per organization: whether it is alive (1) and its users alive, whatever the organization's state. */
interface Tally {
  alive: number;
  users: number;
}

type Change = { readonly key: string; readonly delta: number; readonly users: boolean };

/**
 * The population at each step, asked in increasing order (a step may be
 * asked again, not an earlier one); the step that opens a slice reads it
 * with `query` (the first step also reads the state at the first instant).
 */
export function populationSweep(
  grid: StepGrid,
): (query: QueryFn, index: number) => Promise<AliveOrganization[]> {
  const tallies = new Map<string, Tally>();
  let applied = -1;
  /** Changes per step of the slice read last, from `sliceFrom`. */
  let slice: Change[][] = [];
  let sliceFrom = 1;

  const tally = (key: string): Tally => {
    let t = tallies.get(key);
    if (!t) {
      t = { alive: 0, users: 0 };
      tallies.set(key, t);
    }
    return t;
  };
  const apply = ({ key, delta, users }: Change) => {
    const t = tally(key);
    if (users) t.users += delta;
    else t.alive += delta;
    if (t.alive === 0 && t.users === 0) tallies.delete(key);
  };
  const rowChange = (row: Record<string, unknown>, users: boolean): Change => ({
    key: String(row.key),
    delta: parseNumericCell(row.delta) ?? 0,
    users,
  });

  /** The state at the first instant, as changes from nothing. */
  const readBase = async (query: QueryFn): Promise<Change[]> => {
    const first = [instantText(grid, 0)];
    const changes: Change[] = [];
    for (const [source, isUsers] of [
      [organizations, false],
      [users, true],
    ] as const) {
      const base = await query(aliveAtSql(source), first);
      for (const row of base.rows) changes.push(rowChange(row, isUsers));
    }
    return changes;
  };

  /** The changes of the slice from step `from`, kept once every statement of it has answered. */
  const readSlice = async (query: QueryFn, from: number) => {
    const to = Math.min(grid.count - 1, from + stepsPerStatement - 1);
    const steps: Change[][] = Array.from({ length: to - from + 1 }, () => []);
    const params = [
      instantText(grid, 0),
      grid.stepMs,
      instantText(grid, from - 1),
      instantText(grid, to),
    ];
    for (const [source, isUsers] of [
      [organizations, false],
      [users, true],
    ] as const) {
      const changes = await query(changesSql(source), params);
      for (const row of changes.rows) {
        const step = bucketOf(grid, row.bin, row.edge);
        steps[step - from]?.push(rowChange(row, isUsers));
      }
    }
    slice = steps;
    sliceFrom = from;
  };

  return async (query, index) => {
    if (!Number.isInteger(index) || index < 0 || index >= grid.count)
      throw new Error(`population sweep: step ${index} is not on the grid of ${grid.count} steps`);
    if (index < applied)
      throw new Error(`population sweep: step ${index} asked after step ${applied}`);
    // A step is marked applied only once its changes are (a failed read leaves the state as it was).
    while (applied < index) {
      const next = applied + 1;
      if (next === 0) for (const change of await readBase(query)) apply(change);
      else {
        if (next >= sliceFrom + slice.length) await readSlice(query, next);
        for (const change of slice[next - sliceFrom] ?? []) apply(change);
      }
      applied = next;
    }
    const alive: AliveOrganization[] = [];
    for (const [id, t] of tallies) if (t.alive > 0) alive.push({ id, users: t.users });
    return alive;
  };
}
