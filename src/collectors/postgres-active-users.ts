import { z } from 'zod';
import { type Sample, sample } from '../metrics/spec.js';
import { columnValue, type QuerySpec } from '../sources/query-contract.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import type { Collector } from './types.js';

/**
 * Active = at least one session started in the 24 hours / 7 days / 30 days up
 * to `$at`; registered = created by `$at` and not deleted by then.
 */
export const activeUsersQueries = {
  active_users: {
    sql: `SELECT
  count(DISTINCT user_id) FILTER (WHERE started_at >= $at - interval '1 day')  AS daily,
  count(DISTINCT user_id) FILTER (WHERE started_at >= $at - interval '7 days') AS weekly,
  count(DISTINCT user_id)                                                      AS monthly
FROM user_sessions
WHERE started_at >= $at - interval '30 days' AND started_at <= $at`,
    labels: [],
    values: ['daily', 'weekly', 'monthly'],
  },
  users: {
    sql: `SELECT count(*) AS users FROM users
WHERE created_at <= $at AND (deleted_at IS NULL OR deleted_at > $at)`,
    labels: [],
    values: ['users'],
  },
} satisfies Record<string, QuerySpec>;

const optionsSchema = z.object({ queries: queryOverridesSchema(activeUsersQueries) }).strict();

export const postgresActiveUsers: Collector<z.infer<typeof optionsSchema>> = {
  name: 'postgres_active_users',
  description: 'Daily, weekly and monthly active users (trailing windows) and registered users.',
  source: 'postgres',
  defaultSchedule: '*/5 * * * *',
  defaultTimeoutSeconds: 60,
  optionsSchema,
  metrics: [
    {
      name: 'chom_users_active_daily',
      help: 'Distinct users with a session in the trailing 24 hours.',
      type: 'gauge',
      labelNames: [],
      unit: 'count',
      seedName: 'chom_users_active_daily',
    },
    {
      name: 'chom_users_active_weekly',
      help: 'Distinct users with a session in the trailing 7 days.',
      type: 'gauge',
      labelNames: [],
      unit: 'count',
      seedName: 'chom_users_active_weekly',
    },
    {
      name: 'chom_users_active_monthly',
      help: 'Distinct users with a session in the trailing 30 days.',
      type: 'gauge',
      labelNames: [],
      unit: 'count',
      seedName: 'chom_users_active_monthly',
    },
    {
      name: 'chom_users',
      help: 'Registered users, not deleted.',
      type: 'gauge',
      labelNames: [],
      unit: 'count',
      seedName: 'chom_users_total',
      seedMapping: 'a gauge must not end in _total',
    },
  ],
  async collect({ sources, signal, options, reject, at }) {
    return sources.app.readOnly(signal, async (query) => {
      const samples: Sample[] = [];
      const [active] = await runNamedQuery(
        query,
        activeUsersQueries,
        options.queries,
        'active_users',
        [],
        reject,
        at,
      );
      if (active) {
        samples.push(
          sample('chom_users_active_daily', columnValue(active, 'daily')),
          sample('chom_users_active_weekly', columnValue(active, 'weekly')),
          sample('chom_users_active_monthly', columnValue(active, 'monthly')),
        );
      }
      const [users] = await runNamedQuery(
        query,
        activeUsersQueries,
        options.queries,
        'users',
        [],
        reject,
        at,
      );
      if (users) samples.push(sample('chom_users', columnValue(users, 'users')));
      return samples;
    });
  },
};
