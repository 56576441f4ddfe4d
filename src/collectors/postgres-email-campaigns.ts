import { z } from 'zod';
import { type Sample, sample } from '../metrics/spec.js';
import { columnValue, type QuerySpec } from '../sources/query-contract.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import type { Collector } from './types.js';

/**
 * The funnel of the `$1` campaigns most recently sent by `$at`, as it stood
 * then (each step counted when its time is at or before `$at`). Limiting to
 * recent campaigns bounds the `campaign` label; older campaigns drop out as
 * new ones go.
 */
export const emailCampaignQueries = {
  campaigns: {
    sql: `WITH recent AS (
  SELECT id, slug FROM email_campaigns WHERE sent_at <= $at
  ORDER BY sent_at DESC, id DESC LIMIT $1::int
)
SELECT r.slug AS campaign,
  count(d.user_id) AS sent, count(*) FILTER (WHERE d.opened_at <= $at) AS opened,
  count(*) FILTER (WHERE d.clicked_at <= $at) AS clicked,
  count(*) FILTER (WHERE d.converted_at <= $at) AS converted
FROM recent r LEFT JOIN email_campaign_deliveries d ON d.campaign_id = r.id AND d.sent_at <= $at
GROUP BY r.slug`,
    labels: ['campaign'],
    values: ['sent', 'opened', 'clicked', 'converted'],
  },
} satisfies Record<string, QuerySpec>;

const optionsSchema = z
  .object({
    maxCampaigns: z
      .number()
      .int()
      .min(1)
      .max(200)
      .default(20)
      .describe('Most recently sent campaigns exported (bounds the `campaign` label).'),
    queries: queryOverridesSchema(emailCampaignQueries),
  })
  .strict();

const stages = ['sent', 'opened', 'clicked', 'converted'] as const;

export const postgresEmailCampaigns: Collector<z.infer<typeof optionsSchema>> = {
  name: 'postgres_email_campaigns',
  description:
    'Email campaign funnel (sent, opened, clicked, converted) for the most recent campaigns.',
  source: 'postgres',
  defaultSchedule: '*/15 * * * *',
  defaultTimeoutSeconds: 60,
  optionsSchema,
  metrics: stages.map((stage) => ({
    name: `chom_email_campaign_${stage}`,
    help: `Recipients of the campaign who were ${stage === 'sent' ? 'sent the email' : stage} (campaign lifetime tally).`,
    type: 'gauge' as const,
    labelNames: ['campaign'],
    unit: 'count' as const,
    seedName: `chom_email_campaign_${stage}{campaign}`,
  })),
  async collect({ sources, signal, options, reject, at }) {
    return sources.app.readOnly(signal, async (query) => {
      const rows = await runNamedQuery(
        query,
        emailCampaignQueries,
        options.queries,
        'campaigns',
        [options.maxCampaigns],
        reject,
        at,
      );
      const samples: Sample[] = [];
      // An override may return more rows than the cap; the cap holds regardless.
      for (const row of rows.slice(0, options.maxCampaigns)) {
        const campaign = (row.labels.campaign ?? 'unknown').slice(0, 128);
        for (const stage of stages)
          samples.push(
            sample(`chom_email_campaign_${stage}`, columnValue(row, stage), { campaign }),
          );
      }
      return samples;
    });
  },
};
