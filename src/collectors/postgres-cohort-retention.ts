import { z } from 'zod';
import { type Sample, sample } from '../metrics/spec.js';
import { columnValue, type QuerySpec } from '../sources/query-contract.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import type { Collector } from './types.js';

/**
 * Signup cohorts by calendar month (UTC) for the `$1` months before the month
 * of `$at`, and that month. A user is retained in month offset k when they had
 * a session in calendar month cohort + k; offset 0 is the signup month itself.
 * Offsets run up to the month of `$at`, which is still in progress then; users
 * and sessions are those that existed at `$at`. (The session runs in UTC, so
 * date_trunc and extract work on UTC months.)
 *
 * The sessions are read in one pass over the window (the first cohort month up
 * to `$at`: a range of user_sessions_started_at_idx, which includes user_id,
 * or the whole table when the history is not much longer than the window),
 * reduced to each user's active months, then joined to the cohort users in
 * one hash or merge join: the cost follows the sessions in the window. Joining
 * sessions per cohort user instead made the planner walk (user_id, started_at)
 * once per user, 3.7 million blocks at 100 times the demo (bench/README.md).
 */
export const cohortRetentionQueries = {
  retention: {
    sql: `WITH cohort_users AS (
  SELECT id AS user_id, date_trunc('month', created_at) AS cohort
  FROM users
  WHERE (deleted_at IS NULL OR deleted_at > $at) AND created_at <= $at
    AND created_at >= date_trunc('month', $at) - make_interval(months => $1::int)
), sizes AS (
  SELECT cohort, count(*) AS size FROM cohort_users GROUP BY cohort
), active_months AS (
  SELECT DISTINCT user_id, date_trunc('month', started_at) AS active_month
  FROM user_sessions
  WHERE started_at >= date_trunc('month', $at) - make_interval(months => $1::int)
    AND started_at <= $at
), retained AS (
  SELECT cu.cohort,
    ((extract(year FROM a.active_month) - extract(year FROM cu.cohort)) * 12
      + extract(month FROM a.active_month) - extract(month FROM cu.cohort))::int AS month_offset,
    count(*) AS users
  FROM active_months a
  JOIN cohort_users cu ON cu.user_id = a.user_id AND a.active_month >= cu.cohort
  GROUP BY 1, 2
)
SELECT to_char(s.cohort, 'YYYY-MM') AS cohort, o.month_offset::text AS month_offset,
  s.size, coalesce(r.users, 0) AS retained
FROM sizes s
CROSS JOIN LATERAL generate_series(0, least($1::int,
  ((extract(year FROM $at) - extract(year FROM s.cohort)) * 12
    + extract(month FROM $at) - extract(month FROM s.cohort))::int)) AS o(month_offset)
LEFT JOIN retained r ON r.cohort = s.cohort AND r.month_offset = o.month_offset`,
    labels: ['cohort', 'month_offset'],
    values: ['size', 'retained'],
  },
} satisfies Record<string, QuerySpec>;

const optionsSchema = z
  .object({
    months: z
      .number()
      .int()
      .min(1)
      .max(36)
      .default(12)
      .describe('Signup cohorts and month offsets reported, in months.'),
    queries: queryOverridesSchema(cohortRetentionQueries),
  })
  .strict();

export const postgresCohortRetention: Collector<z.infer<typeof optionsSchema>> = {
  name: 'postgres_cohort_retention',
  description: 'Monthly signup cohorts: size and share of users active k months after signup.',
  source: 'postgres',
  defaultSchedule: '0 * * * *',
  defaultTimeoutSeconds: 300,
  optionsSchema,
  metrics: [
    {
      name: 'chom_cohort_retention_ratio',
      help: 'Share of the signup cohort (YYYY-MM, UTC) with a session in calendar month cohort + month_offset (0-1).',
      type: 'gauge',
      labelNames: ['cohort', 'month_offset'],
      unit: 'ratio',
      seedName: 'chom_cohort_retention{cohort,month_0,...}',
      seedMapping:
        'values are not labels: one sample per (cohort, month_offset); ratio 0-1 instead of percent',
    },
    {
      name: 'chom_cohort_size',
      help: 'Users who signed up in the cohort month (YYYY-MM, UTC).',
      type: 'gauge',
      labelNames: ['cohort'],
      unit: 'count',
    },
  ],
  async collect({ sources, signal, options, reject, at }) {
    return sources.app.readOnly(signal, async (query) => {
      const rows = await runNamedQuery(
        query,
        cohortRetentionQueries,
        options.queries,
        'retention',
        [options.months],
        reject,
        at,
      );
      const samples: Sample[] = [];
      const sizes = new Map<string, number>();
      for (const row of rows) {
        const cohort = row.labels.cohort ?? 'unknown';
        const size = columnValue(row, 'size');
        sizes.set(cohort, size);
        if (size <= 0) continue;
        samples.push(
          sample('chom_cohort_retention_ratio', columnValue(row, 'retained') / size, {
            cohort,
            month_offset: row.labels.month_offset ?? 'unknown',
          }),
        );
      }
      for (const [cohort, size] of sizes)
        samples.push(sample('chom_cohort_size', size, { cohort }));
      return samples;
    });
  },
};
