import type { QueryFn } from '../sources/sql-source.js';

/** A trailing window of marketing spend: its length, its kind and its `window` label value. */
export interface SpendWindow {
  readonly days: number;
  readonly businessDays: boolean;
  readonly label: string;
}

/** Business-day windows are labelled `<n>bd`, calendar-day windows `<n>d`. */
export function spendWindows(businessDays: readonly number[], calendarDays: readonly number[]) {
  return [
    ...businessDays.map((days) => ({ days, businessDays: true, label: `${days}bd` })),
    ...calendarDays.map((days) => ({ days, businessDays: false, label: `${days}d` })),
  ] satisfies SpendWindow[];
}

/**
 * The first and last day of a window of `$1` days ending today, business days
 * (Monday to Friday) when `$2` is true. "Today" is the UTC date of `$3`, the
 * instant the run computes as of.
 *
 * A business-day window starts on the `$1`-th business day counted back from
 * today, today being day 1 when it is a business day, and ends today: weekend
 * days inside that span are part of it, and on a Saturday or Sunday the window
 * is the `$1` business days up to Friday plus the weekend so far.
 */
export function windowBoundsSql(): string {
  return `WITH today AS (SELECT ($3::timestamptz AT TIME ZONE 'UTC')::date AS day)
SELECT to_char(CASE WHEN $2::boolean THEN (
    SELECT min(b.day) FROM (
      -- 2n + 7 calendar days always hold n business days, even counted from a Sunday.
      SELECT t.day - k AS day FROM generate_series(0, 2 * $1::int + 6) AS k
      WHERE extract(isodow FROM t.day - k) < 6
      ORDER BY 1 DESC LIMIT $1::int
    ) AS b)
  ELSE t.day - ($1::int - 1) END, 'YYYY-MM-DD') AS first_day,
  to_char(t.day, 'YYYY-MM-DD') AS last_day
FROM today t`;
}

/** The window's first and last day (`YYYY-MM-DD`, both included) as of `at`. */
export async function windowBounds(
  query: QueryFn,
  window: SpendWindow,
  at: Date,
): Promise<{ firstDay: string; lastDay: string }> {
  const params = [window.days, window.businessDays, at.toISOString()];
  const result = await query(windowBoundsSql(), params, { asText: true });
  const row = result.rows[0];
  return { firstDay: String(row?.first_day), lastDay: String(row?.last_day) };
}
