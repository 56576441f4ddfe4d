import { z } from 'zod';
import type { LabelSets } from '../config/schema.js';
import { type Sample, sample } from '../metrics/spec.js';
import { trackedCount } from '../shared/bounded-labels.js';
import { type ContractRow, columnValue, type QuerySpec } from '../sources/query-contract.js';
import { countByBand, healthBands, lowestScores } from './health-score.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import type { Collector } from './types.js';
import { normalisedSql, vocabularySql } from './vocabulary-sql.js';

/**
 * The scores query's population: every organization that existed at `$at`,
 * with its slug, its (current) payment status and how many of its users
 * existed then (0 when none). The backfill's grouped pass
 * (src/backfill/customer-health-series.ts) sweeps it over the range instead
 * and composes the rest of the query, so the two share this text.
 */
export const customerHealthPopulationSql = `SELECT o.id, o.slug, o.payment_status, count(u.id) AS users
  FROM organizations o LEFT JOIN users u ON u.organization_id = o.id
    AND u.created_at <= $at AND (u.deleted_at IS NULL OR u.deleted_at > $at)
  WHERE o.created_at <= $at AND (o.deleted_at IS NULL OR o.deleted_at > $at)
  GROUP BY o.id, o.slug, o.payment_status`;

/**
 * The scores query around a population `orgs` (rows id, slug, payment_status,
 * users): the trailing windows and each organization's score, as described at
 * `customerHealthQueries`.
 */
export function customerHealthScoresSql(orgs: string): string {
  return `WITH tracked AS (${vocabularySql('$2')}
), orgs AS (
  ${orgs}
), usage AS (
  SELECT organization_id, count(DISTINCT started_at::date) AS active_days, count(*) AS sessions
  FROM user_sessions WHERE started_at >= $at - interval '30 days' AND started_at <= $at
  GROUP BY organization_id
), adoption AS (
  SELECT f.organization_id, count(DISTINCT t.key) AS features
  FROM feature_usage f JOIN tracked t ON t.key = ${normalisedSql('f.feature')}
  WHERE f.usage_date > ($at AT TIME ZONE 'UTC')::date - 30
    AND f.usage_date <= ($at AT TIME ZONE 'UTC')::date
  GROUP BY f.organization_id
), tickets AS (
  SELECT organization_id, count(*) AS tickets
  FROM support_tickets WHERE created_at >= $at - interval '30 days' AND created_at <= $at
  GROUP BY organization_id
)
SELECT o.slug AS organization,
  (100 * (
      CASE WHEN o.users = 0 THEN 0 ELSE
          0.30 * least(coalesce(us.active_days, 0) / 20.0, 1)
        + 0.25 * least(coalesce(a.features, 0)::numeric / $1::int, 1)
        + 0.15 * least(coalesce(us.sessions, 0)::numeric / o.users / 12.0, 1)
      END
    + 0.15 * greatest(1 - coalesce(t.tickets, 0) / 10.0, 0)
    + 0.15 * CASE o.payment_status WHEN 'current' THEN 1 WHEN 'past_due' THEN 0.5 ELSE 0 END
  ))::float8 AS score
FROM orgs o
LEFT JOIN usage us ON us.organization_id = o.id
LEFT JOIN adoption a ON a.organization_id = o.id
LEFT JOIN tickets t ON t.organization_id = o.id`;
}

/**
 * Health per organization (0-100) over the 30 days up to `$at`, weighted as in the seed:
 * 30% usage (days with a session, 20 days = full), 25% feature breadth (tracked
 * features used / $1 tracked; the vocabulary is $2, matched as `boundLabel`
 * does, so untracked features never count), 15% support load (10 tickets = 0),
 * 15% payment status (current 1, past_due 0.5, delinquent 0) and 15% engagement
 * (sessions per user, every session started in the window, 12 = full). Every
 * organization not deleted is scored: one without users (none, or all deleted)
 * scores 0 on usage, breadth and engagement, the most at-risk customer there is.
 * Organizations, users and rows are taken as they were at `$at` (created by
 * then, not deleted by then); the payment status has no history: it is the
 * current one.
 */
export const customerHealthQueries = {
  scores: {
    sql: customerHealthScoresSql(customerHealthPopulationSql),
    labels: ['organization'],
    values: ['score'],
  },
} satisfies Record<string, QuerySpec>;

const optionsSchema = z
  .object({
    /** Per-organization series are limited to this many lowest-scoring organizations. */
    maxOrganizations: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(50)
      .describe('Per-organization series are kept for this many lowest-scoring organizations.'),
    queries: queryOverridesSchema(customerHealthQueries),
  })
  .strict();

export type CustomerHealthOptions = z.infer<typeof optionsSchema>;

/** The parameters $1-$2 of the scores query (see `customerHealthQueries`). */
export function customerHealthParams(labelSets: LabelSets): unknown[] {
  return [trackedCount(labelSets.features), labelSets.features];
}

/** The samples from the scores query's rows: the capped series, the bands, the mean. */
export function customerHealthSamples(
  rows: readonly ContractRow[],
  maxOrganizations: number,
): Sample[] {
  const scores = rows.map((row) => ({
    organization: (row.labels.organization ?? 'unknown').slice(0, 128),
    score: columnValue(row, 'score'),
  }));
  const listed = lowestScores(scores, maxOrganizations);
  const bands = countByBand(scores);
  const samples: Sample[] = listed.map(({ organization, score }) =>
    sample('chom_customer_health_score', score, { organization }),
  );
  for (const band of healthBands) {
    samples.push(sample('chom_customer_health_organizations', bands[band], { band }));
  }
  if (scores.length > 0) {
    const mean = scores.reduce((sum, { score }) => sum + score, 0) / scores.length;
    samples.push(sample('chom_customer_health_score_mean', mean));
  }
  samples.push(
    sample('chom_customer_health_organizations_unlisted', scores.length - listed.length),
  );
  return samples;
}

export const postgresCustomerHealth: Collector<CustomerHealthOptions> = {
  name: 'postgres_customer_health',
  description:
    'Customer health score per organization (capped to the lowest N) and its distribution.',
  source: 'postgres',
  defaultSchedule: '*/15 * * * *',
  defaultTimeoutSeconds: 120,
  optionsSchema,
  metrics: [
    {
      name: 'chom_customer_health_score',
      help: 'Health score (0-100) of the lowest-scoring organizations, at most maxOrganizations series.',
      type: 'gauge',
      labelNames: ['organization'],
      unit: 'score',
      seedName: 'chom_customer_health_score{organization}',
      seedMapping:
        'capped to the N lowest scores (bounded cardinality); the full population is in chom_customer_health_organizations',
    },
    {
      name: 'chom_customer_health_organizations',
      help: 'Organizations per health band, every organization not deleted (with or without users): critical <40, at_risk 40-60, healthy 60-80, excellent >=80.',
      type: 'gauge',
      labelNames: ['band'],
      unit: 'count',
    },
    {
      name: 'chom_customer_health_score_mean',
      help: 'Mean health score over all scored organizations.',
      type: 'gauge',
      labelNames: [],
      unit: 'score',
    },
    {
      name: 'chom_customer_health_organizations_unlisted',
      help: 'Scored organizations left out of chom_customer_health_score by the cardinality cap.',
      type: 'gauge',
      labelNames: [],
      unit: 'count',
    },
  ],
  async collect({ sources, signal, options, reject, labelSets, at }) {
    return sources.app.readOnly(signal, async (query) => {
      const rows = await runNamedQuery(
        query,
        customerHealthQueries,
        options.queries,
        'scores',
        customerHealthParams(labelSets),
        reject,
        at,
      );
      return customerHealthSamples(rows, options.maxOrganizations);
    });
  },
};
