/**
 * The `postgres_active_users` collector over a whole step grid in a few
 * grouped statements instead of two queries per step (the active users one
 * reading 30 days of sessions each time), equal at every step to what its
 * `collect` gives there.
 *
 * - Daily, weekly and monthly active users at t, users with a session started
 *   in [t - W, t] for W of 1, 7 and 30 days: islands of sessions per user,
 *   counted per step (active-user-islands.ts). The sessions run in UTC, so a
 *   day is 86,400 s.
 * - Registered users at t, created_at <= t and not deleted_at <= t: the
 *   cumulative count of created_at minus that of the deletions, each counted
 *   at greatest(created_at, deleted_at), so that a row deleted before it was
 *   created (dirty data, never counted) is taken away the moment it is added.
 */
import type { activeUsersQueries } from '../collectors/postgres-active-users.js';
import type { CollectorContext } from '../collectors/types.js';
import { type Sample, sample } from '../metrics/spec.js';
import { activeUserCounts } from './active-user-islands.js';
import { cumulativeCounts, type TimestampColumn } from './cumulative-counts.js';
import type { StepGrid, StepSeries } from './step-grid.js';

const dayMs = 86_400_000;

/** The collector's options this pass reads. */
interface ActiveUsersOptions {
  readonly queries?: { readonly [name in keyof typeof activeUsersQueries]?: string };
}

/** The queries this pass computes itself (both): an override of either makes it decline. */
const replacedQueries = [
  'active_users',
  'users',
] as const satisfies readonly (keyof typeof activeUsersQueries)[];

/** The windows of the active users query, in the order of its samples. */
const windows = [
  { metric: 'chom_users_active_daily', ms: dayMs },
  { metric: 'chom_users_active_weekly', ms: 7 * dayMs },
  { metric: 'chom_users_active_monthly', ms: 30 * dayMs },
] as const;

const created: TimestampColumn = { table: 'users', column: 'created_at' };
/**
 * When a user stops counting; NULL (never) while not deleted: greatest() skips
 * NULLs, so without the CASE a live user would stop counting at created_at.
 */
const deleted: TimestampColumn = {
  table: 'users',
  column: 'CASE WHEN deleted_at IS NOT NULL THEN greatest(created_at, deleted_at) END',
};

export async function activeUsersSeries(
  { sources, signal, options }: CollectorContext<ActiveUsersOptions, unknown>,
  grid: StepGrid,
): Promise<StepSeries | undefined> {
  // An overridden query is the user's own SQL: only it says what it counts.
  if (replacedQueries.some((name) => options.queries?.[name])) return undefined;
  const { active, createdCounts, deletedCounts } = await sources.app.readOnly(
    signal,
    async (query) => ({
      active: await activeUserCounts(
        query,
        windows.map((w) => w.ms),
        grid,
      ),
      createdCounts: await cumulativeCounts(query, created, grid),
      deletedCounts: await cumulativeCounts(query, deleted, grid),
    }),
  );
  return (index): Sample[] => {
    if (!Number.isInteger(index) || index < 0 || index >= grid.count)
      throw new Error(
        `active users series: step ${index} is not on the grid of ${grid.count} steps`,
      );
    // In the order `collect` gives them: the three windows, then registered users.
    return [
      ...windows.map(({ metric }, i) => sample(metric, active[i]?.[index] as number)),
      sample('chom_users', (createdCounts[index] as number) - (deletedCounts[index] as number)),
    ];
  };
}
