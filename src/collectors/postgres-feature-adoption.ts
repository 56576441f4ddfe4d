import { z } from 'zod';
import { sample } from '../metrics/spec.js';
import { boundLabel, OTHER } from '../shared/bounded-labels.js';
import { columnValue, type QuerySpec } from '../sources/query-contract.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import type { Collector } from './types.js';
import { normalisedSql, vocabularySql } from './vocabulary-sql.js';

/**
 * Users and organizations per feature over the `$1` days up to `$at` (feature
 * usage by UTC day, the day of `$at` included), with the
 * active-organization base. Features are mapped onto the vocabulary (`$2`) in
 * SQL, before counting: distinct users cannot be added up afterwards, so
 * `feature="other"` counts each user of any untracked feature once, and two
 * spellings of one tracked feature count a user once.
 */
export const featureAdoptionQueries = {
  features: {
    sql: `WITH tracked AS (${vocabularySql('$2')}
), uses AS (
  SELECT f.user_id, f.organization_id, coalesce(t.label, '${OTHER}') AS feature
  FROM feature_usage f LEFT JOIN tracked t ON t.key = ${normalisedSql('f.feature')}
  WHERE f.usage_date > ($at AT TIME ZONE 'UTC')::date - $1::int
    AND f.usage_date <= ($at AT TIME ZONE 'UTC')::date
)
SELECT feature, count(DISTINCT user_id) AS users, count(DISTINCT organization_id) AS organizations
FROM uses
GROUP BY feature`,
    labels: ['feature'],
    values: ['users', 'organizations'],
  },
  active_organizations: {
    sql: `SELECT count(DISTINCT organization_id) AS organizations
FROM user_sessions
WHERE started_at >= $at - make_interval(days => $1::int) AND started_at <= $at`,
    labels: [],
    values: ['organizations'],
  },
} satisfies Record<string, QuerySpec>;

const optionsSchema = z
  .object({
    windowDays: z.number().int().min(1).max(365).default(30).describe('Trailing window in days.'),
    queries: queryOverridesSchema(featureAdoptionQueries),
  })
  .strict();

export const postgresFeatureAdoption: Collector<z.infer<typeof optionsSchema>> = {
  name: 'postgres_feature_adoption',
  description: 'Users per feature and the share of active organizations using it (30 days).',
  source: 'postgres',
  defaultSchedule: '*/15 * * * *',
  defaultTimeoutSeconds: 60,
  optionsSchema,
  metrics: [
    {
      name: 'chom_feature_users',
      help: 'Distinct users who used the feature in the trailing window; feature="other": distinct users of any feature outside the vocabulary.',
      type: 'gauge',
      labelNames: ['feature'],
      unit: 'count',
      seedName: 'chom_feature_users{feature}',
    },
    {
      name: 'chom_feature_adoption_ratio',
      help: 'Organizations that used the feature in the trailing window / organizations with a session in it (0-1).',
      type: 'gauge',
      labelNames: ['feature'],
      unit: 'ratio',
    },
  ],
  async collect({ sources, signal, options, reject, labelSets, at }) {
    return sources.app.readOnly(signal, async (query) => {
      const rows = await runNamedQuery(
        query,
        featureAdoptionQueries,
        options.queries,
        'features',
        [options.windowDays, labelSets.features],
        reject,
        at,
      );
      const [base] = await runNamedQuery(
        query,
        featureAdoptionQueries,
        options.queries,
        'active_organizations',
        [options.windowDays],
        reject,
        at,
      );
      const activeOrganizations = base ? columnValue(base, 'organizations') : 0;
      // Every tracked feature and `other` is reported, zero when unused: a missing series would hide a dead feature.
      const features = [...labelSets.features.filter((f) => f !== OTHER), OTHER];
      const users = new Map(features.map((feature) => [feature, 0]));
      const organizations = new Map(features.map((feature) => [feature, 0]));
      for (const row of rows) {
        // The default query maps in SQL; an override that returns raw values is mapped here,
        // and rows that land on one label are added (exact only if they share no user).
        const feature = boundLabel(row.labels.feature, labelSets.features);
        users.set(feature, (users.get(feature) ?? 0) + columnValue(row, 'users'));
        organizations.set(
          feature,
          (organizations.get(feature) ?? 0) + columnValue(row, 'organizations'),
        );
      }
      return features.flatMap((feature) => {
        const samples = [sample('chom_feature_users', users.get(feature) ?? 0, { feature })];
        if (activeOrganizations > 0) {
          const ratio = Math.min(1, (organizations.get(feature) ?? 0) / activeOrganizations);
          samples.push(sample('chom_feature_adoption_ratio', ratio, { feature }));
        }
        return samples;
      });
    });
  },
};
