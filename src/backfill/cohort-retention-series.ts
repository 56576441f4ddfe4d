/**
 * The `postgres_cohort_retention` collector over a whole step grid: the
 * sessions and signups of the range read once, as changes per step
 * (cohort-retention-deltas.ts), then at each step the samples its `collect`
 * gives as of that step: for every cohort of the step's window with at least
 * one user, the ratio at each month offset up to the step's month, and the
 * size. Equal at every step (test/integration/cohort-retention-series.test.ts).
 */

import type { CollectorContext } from '../collectors/types.js';
import { type Sample, sample } from '../metrics/spec.js';
import { type CohortDelta, cohortDeltas, monthIndexOf } from './cohort-retention-deltas.js';
import type { StepGrid, StepSeries } from './step-grid.js';

/** The collector's options this pass reads. */
interface CohortRetentionOptions {
  readonly months: number;
  readonly queries?: { readonly retention?: string };
}

/** A cohort's label as the query prints it (to_char(cohort, 'YYYY-MM')). */
function cohortLabel(month: number): string {
  const year = String(Math.floor(month / 12)).padStart(4, '0');
  return `${year}-${String((month % 12) + 1).padStart(2, '0')}`;
}

/** Sizes and retained counts as of a bucket, the buckets asked for in increasing order. */
class RunningCounts {
  readonly sizes = new Map<number, number>();
  /** Per cohort, per active month. */
  readonly retained = new Map<number, Map<number, number>>();
  private next = 0;

  constructor(private readonly byBucket: ReadonlyMap<number, readonly CohortDelta[]>) {}

  advanceTo(index: number): void {
    if (index < this.next - 1) throw new Error('cohort retention series: steps asked out of order');
    for (; this.next <= index; this.next += 1)
      for (const change of this.byBucket.get(this.next) ?? []) this.apply(change);
  }

  private apply({ cohort, active, delta }: CohortDelta): void {
    if (active === undefined) {
      this.sizes.set(cohort, (this.sizes.get(cohort) ?? 0) + delta);
      return;
    }
    let byMonth = this.retained.get(cohort);
    if (!byMonth) {
      byMonth = new Map();
      this.retained.set(cohort, byMonth);
    }
    byMonth.set(active, (byMonth.get(active) ?? 0) + delta);
  }
}

export async function cohortRetentionSeries(
  { sources, signal, options }: CollectorContext<CohortRetentionOptions, unknown>,
  grid: StepGrid,
): Promise<StepSeries | undefined> {
  // An overridden query is the user's own SQL: only it says what it counts.
  if (options.queries?.retention) return undefined;
  const byBucket = await sources.app.readOnly(signal, (query) =>
    cohortDeltas(query, grid, options.months),
  );
  const counts = new RunningCounts(byBucket);
  return (index) => {
    counts.advanceTo(index);
    const now = monthIndexOf(grid.firstMs + index * grid.stepMs);
    const ratios: Sample[] = [];
    const sizes: Sample[] = [];
    // The window: the `months` months before the step's month, and that month.
    for (let cohort = now - options.months; cohort <= now; cohort += 1) {
      const size = counts.sizes.get(cohort) ?? 0;
      if (size <= 0) continue;
      const label = cohortLabel(cohort);
      const byMonth = counts.retained.get(cohort);
      for (let offset = 0; cohort + offset <= now; offset += 1)
        ratios.push(
          sample('chom_cohort_retention_ratio', (byMonth?.get(cohort + offset) ?? 0) / size, {
            cohort: label,
            month_offset: String(offset),
          }),
        );
      sizes.push(sample('chom_cohort_size', size, { cohort: label }));
    }
    return [...ratios, ...sizes];
  };
}
