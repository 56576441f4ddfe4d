/**
 * Rows bucketed on a step grid in SQL. Bucket 0 holds every timestamp at or
 * before the grid's first instant; bucket j > 0 those in (instant j-1,
 * instant j]. Summing buckets 0..j gives what `x <= instant j` counts, as the
 * as-of SQL does. For a timestamp after the first instant the SQL yields the
 * instant at or before it (`bin`; NULL for bucket 0) and, for every
 * timestamp, whether it is that instant (`edge`): a window closed at its
 * start (`x >= t - W`) also needs the rows exactly on the instant t - W.
 */
import type { StepGrid } from './step-grid.js';

/** The grid's instant `index` as the text sent for a timestamptz parameter. */
export function instantText(grid: StepGrid, index: number): string {
  return new Date(grid.firstMs + index * grid.stepMs).toISOString();
}

/**
 * The bin of the timestamp expression `stamp`, with $1 the grid's first
 * instant and $2 its step in milliseconds: NULL for anything at or before
 * that instant (bucket 0, whatever its age), else the instant at or before
 * it (date_bin: exact integer arithmetic on microseconds).
 */
export function binSql(stamp: string): string {
  return `CASE WHEN ${stamp} > $1::timestamptz
      THEN date_bin($2::bigint * interval '1 millisecond', ${stamp}, $1::timestamptz) END`;
}

/** Whether `stamp` lies on the instant of its bin (`bin`, from `binSql`). */
export function edgeSql(stamp: string, bin: string): string {
  return `${stamp} = coalesce(${bin}, $1::timestamptz)`;
}

/** The bucket of a row from its `bin` and `edge` cells (see `binSql`). */
export function bucketOf(grid: StepGrid, bin: unknown, edge: unknown): number {
  if (bin === null || bin === undefined) return 0;
  const binMs = new Date(bin as Date | string).getTime();
  const onInstant = Math.round((binMs - grid.firstMs) / grid.stepMs);
  return onEdge(edge) ? onInstant : onInstant + 1;
}

/** Whether a row's `edge` cell says its timestamp is its bin's instant. */
export function onEdge(edge: unknown): boolean {
  return edge === true || edge === 't';
}
