import { z } from 'zod';
import { type Sample, sample } from '../metrics/spec.js';
import type { Reject } from '../shared/reject.js';
import { type ContractRow, columnValue } from '../sources/query-contract.js';

/** Trailing windows of an `_in_window` gauge, in days; each is a `window="<n>d"` label value. */
export const windowsDaysSchema = z
  .array(z.number().int().min(1).max(366))
  .min(1)
  .max(6)
  .refine((days) => new Set(days).size === days.length, 'expected distinct window lengths')
  .default([7, 30])
  .describe(
    'Trailing windows of the `_in_window` gauges, in days of 24 hours ending at the run\'s instant; each is a `window="<n>d"` label value. The recording rules and boards read `30d` (and `7d`).',
  );

/**
 * The `window` label of a row whose `days` column is one of the windows asked
 * for; any other row (an override returning other windows) is rejected, so it
 * can neither add series nor pass for another window.
 */
export function windowOf(
  row: ContractRow,
  windowsDays: readonly number[],
  reject: Reject,
  queryName: string,
): string | undefined {
  const days = Number(row.labels.days);
  if (windowsDays.includes(days)) return `${days}d`;
  reject('unknown_window', { query: queryName, days: row.labels.days, windowsDays });
  return undefined;
}

/** One sample per window row and value column, under the metric named for the column. */
export function windowSamples(
  rows: readonly ContractRow[],
  windowsDays: readonly number[],
  reject: Reject,
  queryName: string,
  columns: readonly (readonly [column: string, metric: string])[],
): Sample[] {
  return rows.flatMap((row) => {
    const window = windowOf(row, windowsDays, reject, queryName);
    if (window === undefined) return [];
    return columns.map(([column, metric]) => sample(metric, columnValue(row, column), { window }));
  });
}
