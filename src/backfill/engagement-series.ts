/**
 * The `postgres_engagement` collector over a step grid, its population swept
 * once for the range (population-sweep.ts) instead of read from the whole
 * users table at every step. At each step the collector's own engagement
 * query runs with that population given as arrays in place of its population
 * CTE (the trailing windows of sessions and feature usage are the collector's
 * text, read per step as before: they read only the window), and its sessions
 * query runs as it is.
 */

import {
  type EngagementOptions,
  engagementParams,
  engagementQueries,
  engagementSamples,
  engagementScoreSql,
} from '../collectors/postgres-engagement.js';
import { runNamedQuery } from '../collectors/sql-queries.js';
import type { CollectorContext } from '../collectors/types.js';
import type { Sample } from '../metrics/spec.js';
import { queryWithContract } from '../sources/query-contract.js';
import { populationSweep } from './population-sweep.js';
import type { StepGrid, StepSeries } from './step-grid.js';

/**
 * The collector's queries this pass runs (every one it has): when the user
 * replaced any of them, the pass declines and the backfill runs the overrides
 * at every step.
 */
const replacedQueries = ['engagement', 'sessions'] as const;

/**
 * The engagement query with the swept population: $6 the organizations, $7
 * their users (the query's own $1-$5 before them). Only organizations with
 * users, as the collector's join and count give them.
 */
const sweptEngagementSql = engagementScoreSql(
  'SELECT organization_id, users FROM unnest($6::bigint[], $7::bigint[]) AS p(organization_id, users)',
);

export async function engagementSeries(
  ctx: CollectorContext<EngagementOptions, unknown>,
  grid: StepGrid,
): Promise<StepSeries | undefined> {
  const { sources, signal, options, reject, labelSets } = ctx;
  if (replacedQueries.some((name) => options.queries?.[name])) return undefined;
  const spec = { ...engagementQueries.engagement, sql: sweptEngagementSql };
  const params = engagementParams(options, labelSets);
  const populationAt = populationSweep(grid);

  return async (index): Promise<Sample[]> => {
    const at = new Date(grid.firstMs + index * grid.stepMs);
    return sources.app.readOnly(signal, async (query) => {
      const population = (await populationAt(query, index)).filter((o) => o.users > 0);
      const [engagement] = await queryWithContract(
        query,
        'engagement',
        spec,
        [...params, population.map((o) => o.id), population.map((o) => o.users)],
        reject,
        at,
      );
      const [sessions] = await runNamedQuery(
        query,
        engagementQueries,
        undefined,
        'sessions',
        [options.windowDays],
        reject,
        at,
      );
      return engagementSamples(engagement, sessions);
    });
  };
}
