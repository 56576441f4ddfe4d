/**
 * How many rows of a table have a timestamp column (or a timestamp computed
 * from the row) at or before each instant of a step grid, read in a few
 * grouped statements instead of one count per step. The count as of an
 * instant t is what `column <= t` counts: a row at x counts from the first
 * grid instant at or after x, and a NULL never counts.
 */
import { parseNumericCell } from '../sources/query-contract.js';
import type { QueryFn } from '../sources/sql-source.js';
import { stepsPerStatement } from './event-counter-series.js';
import { bucketOf, instantText } from './grid-buckets.js';
import type { StepGrid } from './step-grid.js';

/**
 * A table and one of its timestamptz columns, or a timestamptz expression over
 * a row's columns (a row where it is NULL never counts). Both are the
 * exporter's own SQL (never user input): they are written into it as they
 * are. Only a plain column can be read through an index on it: an expression
 * is computed for every row of the table, by each statement.
 */
export interface TimestampColumn {
  readonly table: string;
  readonly column: string;
}

/** Rows with the column at or before the grid's origin ($1): bucket 0. */
export function baseCountSql({ table, column }: TimestampColumn): string {
  return `SELECT count(*) AS n FROM ${table} WHERE ${column} <= $1::timestamptz`;
}

/**
 * Rows with the column in ($1, $2], grouped by the grid instant at or before
 * them (`bin`: date_bin from the origin $3 every $4 milliseconds) and whether
 * they fall on it (`edge`): a row in (instant j-1, instant j] belongs to
 * bucket j. The range condition lets an index on the column read only the slice.
 */
export function sliceCountSql({ table, column }: TimestampColumn): string {
  return `SELECT bin, stamp = bin AS edge, count(*) AS n
FROM (
  SELECT ${column} AS stamp,
    date_bin($4::bigint * interval '1 millisecond', ${column}, $3::timestamptz) AS bin
  FROM ${table}
  WHERE ${column} > $1::timestamptz AND ${column} <= $2::timestamptz
) AS r
GROUP BY 1, 2`;
}

/**
 * The count as of each instant of the grid (index j: instant j), in one
 * statement up to the origin and then one per slice of `stepsPerStatement`
 * steps, so that no statement reads more than its slice where the column is
 * indexed, and every row is counted once over the whole grid.
 */
export async function cumulativeCounts(
  query: QueryFn,
  source: TimestampColumn,
  grid: StepGrid,
): Promise<number[]> {
  const buckets = new Array<number>(grid.count).fill(0);
  const instant = (index: number) => instantText(grid, index);
  const base = await query(baseCountSql(source), [instant(0)]);
  buckets[0] = parseNumericCell(base.rows[0]?.n) ?? 0;
  for (let from = 1; from < grid.count; from += stepsPerStatement) {
    const to = Math.min(grid.count - 1, from + stepsPerStatement - 1);
    const slice = await query(sliceCountSql(source), [
      instant(from - 1),
      instant(to),
      instant(0),
      grid.stepMs,
    ]);
    for (const row of slice.rows) {
      const bucket = bucketOf(grid, row.bin, row.edge);
      buckets[bucket] = (buckets[bucket] ?? 0) + (parseNumericCell(row.n) ?? 0);
    }
  }
  for (let j = 1; j < grid.count; j += 1)
    buckets[j] = (buckets[j - 1] as number) + (buckets[j] as number);
  return buckets;
}
