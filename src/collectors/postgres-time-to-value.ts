import { z } from 'zod';
import { type Sample, sample } from '../metrics/spec.js';
import { columnValue, type QuerySpec } from '../sources/query-contract.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import type { Collector } from './types.js';

/**
 * Users who signed up in the `$1` days up to `$at` (and were not deleted by
 * then): how many reached first value by `$at`, and how fast.
 */
export const timeToValueQueries = {
  time_to_value: {
    sql: `SELECT
  count(*) AS signups,
  count(*) FILTER (WHERE first_value_at <= $at) AS reached,
  coalesce(avg(extract(epoch FROM first_value_at - created_at)) FILTER (WHERE first_value_at <= $at), 0)::float8
    AS mean_seconds
FROM users
WHERE created_at >= $at - make_interval(days => $1::int) AND created_at <= $at
  AND (deleted_at IS NULL OR deleted_at > $at)`,
    labels: [],
    values: ['signups', 'reached', 'mean_seconds'],
  },
} satisfies Record<string, QuerySpec>;

const optionsSchema = z
  .object({
    windowDays: z.number().int().min(1).max(730).default(90).describe('Trailing window in days.'),
    queries: queryOverridesSchema(timeToValueQueries),
  })
  .strict();

export const postgresTimeToValue: Collector<z.infer<typeof optionsSchema>> = {
  name: 'postgres_time_to_value',
  description:
    'Mean time from signup to first value, and the share of new users who reached it (90-day signups).',
  source: 'postgres',
  defaultSchedule: '*/15 * * * *',
  defaultTimeoutSeconds: 60,
  optionsSchema,
  metrics: [
    {
      name: 'chom_time_to_first_value_seconds',
      help: 'Mean time from signup to the first value milestone, for users who signed up in the trailing window and reached it.',
      type: 'gauge',
      labelNames: [],
      unit: 'seconds',
      seedName: 'chom_time_to_first_value_days',
      seedMapping: 'base unit: seconds, not days',
    },
    {
      name: 'chom_first_value_reached_ratio',
      help: 'Users who signed up in the trailing window and reached first value / all of them (0-1).',
      type: 'gauge',
      labelNames: [],
      unit: 'ratio',
    },
  ],
  async collect({ sources, signal, options, reject, at }) {
    return sources.app.readOnly(signal, async (query) => {
      const [row] = await runNamedQuery(
        query,
        timeToValueQueries,
        options.queries,
        'time_to_value',
        [options.windowDays],
        reject,
        at,
      );
      const samples: Sample[] = [];
      if (!row) return samples;
      const signups = columnValue(row, 'signups');
      const reached = columnValue(row, 'reached');
      if (reached > 0)
        samples.push(sample('chom_time_to_first_value_seconds', columnValue(row, 'mean_seconds')));
      if (signups > 0) samples.push(sample('chom_first_value_reached_ratio', reached / signups));
      return samples;
    });
  },
};
