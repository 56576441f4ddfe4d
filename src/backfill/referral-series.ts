/**
 * The `postgres_referrals` collector over a whole step grid in a few grouped
 * statements instead of four counts of the referrals table per step: its
 * lifetime counters and its `_in_window` gauges, equal at every step to what
 * its as-of form (referralsAsOf in counters-as-of.ts) computes there.
 *
 * Sent total at t: rows with sent_at <= t, the cumulative count S(t); window
 * gauge of W days at t: sent_at in (t - W, t], S(t) - S(t - W); the same with
 * completed_at (a NULL is never counted). The sessions run in UTC, so a day is
 * 86,400 s and t - W is exact arithmetic on the grid. S and C are read along
 * the step grid extended backwards by the windows that are a whole number of
 * steps (t - W is then a step of it), and along the grid shifted back by each
 * other window.
 */
import type { ReferralOptions } from '../collectors/postgres-referrals.js';
import type { CollectorContext } from '../collectors/types.js';
import { type Sample, sample } from '../metrics/spec.js';
import { cumulativeCounts, type TimestampColumn } from './cumulative-counts.js';
import { extendedBackByWindows, type StepGrid, type StepSeries } from './step-grid.js';

const dayMs = 86_400_000;

/**
 * The collector's queries this pass computes itself (every one it has): when
 * the user replaced any of them, the pass declines and the backfill runs the
 * override at every step.
 */
const replacedQueries = ['sent', 'completed', 'in_window'] as const;

/** What the default queries count: the two timestamps of the referrals table. */
const counted = {
  sent: { table: 'referrals', column: 'sent_at' },
  completed: { table: 'referrals', column: 'completed_at' },
} as const satisfies Record<string, TimestampColumn>;

/** Where a window's count as of t - W is read: a lag on the extended grid, or a shifted grid. */
type Lagged =
  | { readonly kind: 'lag'; readonly steps: number }
  | { readonly kind: 'shifted'; readonly counts: number[] };

/** One timestamp's cumulative counts: on the extended grid, and per window. */
interface ColumnSeries {
  readonly main: number[];
  readonly windows: Lagged[];
}

export async function referralSeries(
  { sources, signal, options }: CollectorContext<ReferralOptions, unknown>,
  grid: StepGrid,
): Promise<StepSeries | undefined> {
  if (replacedQueries.some((name) => options.queries?.[name])) return undefined;
  const windowsMs = options.windowsDays.map((days) => days * dayMs);
  const { extension, extended } = extendedBackByWindows(grid, windowsMs);

  const { sent, completed } = await sources.app.readOnly(signal, async (query) => {
    const read = async (source: TimestampColumn): Promise<ColumnSeries> => {
      const main = await cumulativeCounts(query, source, extended);
      const windows: Lagged[] = [];
      for (const w of windowsMs) {
        if (w % grid.stepMs === 0) windows.push({ kind: 'lag', steps: w / grid.stepMs });
        else {
          const shifted = { ...grid, firstMs: grid.firstMs - w };
          windows.push({ kind: 'shifted', counts: await cumulativeCounts(query, source, shifted) });
        }
      }
      return { main, windows };
    };
    return { sent: await read(counted.sent), completed: await read(counted.completed) };
  });

  const asOf = (series: ColumnSeries, index: number) => series.main[index + extension] as number;
  const inWindow = (series: ColumnSeries, window: number, index: number) => {
    const lagged = series.windows[window] as Lagged;
    const before =
      lagged.kind === 'lag'
        ? (series.main[index + extension - lagged.steps] as number)
        : (lagged.counts[index] as number);
    return asOf(series, index) - before;
  };

  return (index): Sample[] => {
    if (!Number.isInteger(index) || index < 0 || index >= grid.count)
      throw new Error(`referral series: step ${index} is not on the grid of ${grid.count} steps`);
    // In the order the as-of form gives them: the totals, then each window's row.
    return [
      sample('chom_referrals_sent_total', asOf(sent, index)),
      sample('chom_referrals_completed_total', asOf(completed, index)),
      ...options.windowsDays.flatMap((days, i) => [
        sample('chom_referrals_sent_in_window', inWindow(sent, i, index), { window: `${days}d` }),
        sample('chom_referrals_completed_in_window', inWindow(completed, i, index), {
          window: `${days}d`,
        }),
      ]),
    ];
  };
}
