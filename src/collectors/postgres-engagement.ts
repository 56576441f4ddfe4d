import { z } from 'zod';
import type { LabelSets } from '../config/schema.js';
import { type Sample, sample } from '../metrics/spec.js';
import { trackedCount } from '../shared/bounded-labels.js';
import { type ContractRow, columnValue, type QuerySpec } from '../sources/query-contract.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import type { Collector } from './types.js';
import { normalisedSql, vocabularySql } from './vocabulary-sql.js';

/**
 * The engagement query's population: organizations and their users that
 * existed at `$at`, organizations without users left out. The backfill's
 * grouped pass (src/backfill/engagement-series.ts) sweeps it over the range
 * instead and composes the rest of the query, so the two share this text.
 */
export const engagementPopulationSql = `SELECT u.organization_id, count(*) AS users
  FROM users u JOIN organizations o ON o.id = u.organization_id
    AND o.created_at <= $at AND (o.deleted_at IS NULL OR o.deleted_at > $at)
  WHERE u.created_at <= $at AND (u.deleted_at IS NULL OR u.deleted_at > $at)
  GROUP BY u.organization_id`;

/**
 * The engagement query around a population `orgUsers` (rows organization_id,
 * users > 0): the trailing windows and the score, as described at
 * `engagementQueries`.
 */
export function engagementScoreSql(orgUsers: string): string {
  return `WITH tracked AS (${vocabularySql('$5')}
), org_users AS (
  ${orgUsers}
), org_sessions AS (
  SELECT organization_id, count(*) AS sessions,
         avg(extract(epoch FROM ended_at - started_at)) FILTER (WHERE ended_at <= $at) AS mean_seconds
  FROM user_sessions
  WHERE started_at >= $at - make_interval(days => $1::int) AND started_at <= $at
  GROUP BY organization_id
), org_features AS (
  SELECT f.organization_id, count(DISTINCT t.key) AS features
  FROM feature_usage f JOIN tracked t ON t.key = ${normalisedSql('f.feature')}
  WHERE f.usage_date > ($at AT TIME ZONE 'UTC')::date - $1::int
    AND f.usage_date <= ($at AT TIME ZONE 'UTC')::date
  GROUP BY f.organization_id
)
SELECT avg(100 * (
    0.50 * least(coalesce(s.sessions, 0)::float8 / u.users / $2::float8, 1)
  + 0.25 * least(coalesce(s.mean_seconds, 0)::float8 / $3::float8, 1)
  + 0.25 * least(coalesce(f.features, 0)::float8 / $4::float8, 1)))::float8 AS score
FROM org_users u
LEFT JOIN org_sessions s USING (organization_id)
LEFT JOIN org_features f USING (organization_id)
HAVING count(*) > 0`;
}

/**
 * Engagement per organization, 0-100, averaged over the organizations (not
 * deleted) that have users: 50% session frequency (sessions per user against a
 * target; every session started in the window counts, finished or not, as in
 * the health score), 25% session length (mean of finished sessions against a
 * target) and 25% breadth (tracked features used / features tracked; the
 * vocabulary is matched as `boundLabel` does, so untracked features never count).
 * Params: $1 window days, $2 sessions-per-user target, $3 session-seconds target,
 * $4 number of tracked features, $5 the tracked features (text[]); the window
 * ends at `$at`, and organizations and users are those that existed then.
 * A session still open at `$at` has no length yet (its ended_at is later).
 * Both queries bound started_at on both sides: `ended_at <= $at` alone left
 * the index range open to the present, so a past instant read every later
 * session (a backfill step a year back read the whole table).
 */
export const engagementQueries = {
  engagement: {
    sql: engagementScoreSql(engagementPopulationSql),
    labels: [],
    values: ['score'],
  },
  sessions: {
    sql: `SELECT avg(extract(epoch FROM ended_at - started_at))::float8 AS mean_duration_seconds,
       avg(action_count)::float8 AS mean_actions
FROM user_sessions
WHERE started_at >= $at - make_interval(days => $1::int) AND started_at <= $at AND ended_at <= $at
HAVING count(*) > 0`,
    labels: [],
    values: ['mean_duration_seconds', 'mean_actions'],
  },
} satisfies Record<string, QuerySpec>;

const optionsSchema = z
  .object({
    windowDays: z.number().int().min(1).max(365).default(30).describe('Trailing window in days.'),
    sessionsPerUserTarget: z
      .number()
      .positive()
      .default(12)
      .describe('Sessions per user in the window that count as fully engaged.'),
    sessionSecondsTarget: z
      .number()
      .positive()
      .default(1800)
      .describe('Mean session length that counts as fully engaged.'),
    queries: queryOverridesSchema(engagementQueries),
  })
  .strict();

export type EngagementOptions = z.infer<typeof optionsSchema>;

/** The parameters $1-$5 of the engagement query (see `engagementQueries`). */
export function engagementParams(options: EngagementOptions, labelSets: LabelSets): unknown[] {
  return [
    options.windowDays,
    options.sessionsPerUserTarget,
    options.sessionSecondsTarget,
    trackedCount(labelSets.features),
    labelSets.features,
  ];
}

/** The samples from the engagement row and the sessions row (none without rows). */
export function engagementSamples(
  engagement: ContractRow | undefined,
  sessions: ContractRow | undefined,
): Sample[] {
  const samples: Sample[] = [];
  if (engagement)
    samples.push(sample('chom_customer_engagement_score', columnValue(engagement, 'score')));
  if (sessions) {
    samples.push(
      sample('chom_session_duration_seconds', columnValue(sessions, 'mean_duration_seconds')),
      sample('chom_actions_per_session', columnValue(sessions, 'mean_actions')),
    );
  }
  return samples;
}

export const postgresEngagement: Collector<EngagementOptions> = {
  name: 'postgres_engagement',
  description:
    'Customer engagement score, mean session duration and actions per session (30 days).',
  source: 'postgres',
  defaultSchedule: '*/15 * * * *',
  defaultTimeoutSeconds: 120,
  optionsSchema,
  metrics: [
    {
      name: 'chom_customer_engagement_score',
      help: 'Mean engagement score (0-100) of the organizations with users over the trailing window: session frequency (every session started), finished-session length and tracked-feature breadth.',
      type: 'gauge',
      labelNames: [],
      unit: 'score',
      seedName: 'chom_customer_engagement_score',
    },
    {
      name: 'chom_session_duration_seconds',
      help: 'Mean duration of finished sessions started in the trailing window.',
      type: 'gauge',
      labelNames: [],
      unit: 'seconds',
      seedName: 'chom_session_duration_minutes',
      seedMapping: 'base unit: seconds, not minutes',
    },
    {
      name: 'chom_actions_per_session',
      help: 'Mean actions per finished session started in the trailing window.',
      type: 'gauge',
      labelNames: [],
      unit: 'count',
      seedName: 'chom_actions_per_session',
    },
  ],
  async collect({ sources, signal, options, reject, labelSets, at }) {
    return sources.app.readOnly(signal, async (query) => {
      const [engagement] = await runNamedQuery(
        query,
        engagementQueries,
        options.queries,
        'engagement',
        engagementParams(options, labelSets),
        reject,
        at,
      );
      const [sessions] = await runNamedQuery(
        query,
        engagementQueries,
        options.queries,
        'sessions',
        [options.windowDays],
        reject,
        at,
      );
      return engagementSamples(engagement, sessions);
    });
  },
};
