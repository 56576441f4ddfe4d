import { z } from 'zod';
import { type Sample, sample } from '../metrics/spec.js';
import { columnValue, type QuerySpec } from '../sources/query-contract.js';
import { npsScore } from './nps.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import type { Collector } from './types.js';

/** Responses in the `$1` days up to `$at`, split by the standard NPS bands. */
export const npsQueries = {
  responses: {
    sql: `SELECT
  count(*) FILTER (WHERE score >= 9)           AS promoters,
  count(*) FILTER (WHERE score BETWEEN 7 AND 8) AS passives,
  count(*) FILTER (WHERE score <= 6)           AS detractors
FROM nps_responses
WHERE responded_at >= $at - make_interval(days => $1::int) AND responded_at <= $at`,
    labels: [],
    values: ['promoters', 'passives', 'detractors'],
  },
} satisfies Record<string, QuerySpec>;

const optionsSchema = z
  .object({
    windowDays: z.number().int().min(1).max(730).default(90).describe('Trailing window in days.'),
    queries: queryOverridesSchema(npsQueries),
  })
  .strict();

export const postgresNps: Collector<z.infer<typeof optionsSchema>> = {
  name: 'postgres_nps',
  description: 'Net Promoter Score and responses per category over a trailing window (90 days).',
  source: 'postgres',
  defaultSchedule: '*/15 * * * *',
  defaultTimeoutSeconds: 60,
  optionsSchema,
  metrics: [
    {
      name: 'chom_nps_score',
      help: 'Net Promoter Score (% promoters minus % detractors, -100 to 100) over the trailing window; absent without responses.',
      type: 'gauge',
      labelNames: [],
      unit: 'score',
      seedName: 'chom_nps_score',
    },
    {
      name: 'chom_nps_responses',
      help: 'NPS survey responses in the trailing window by category (promoter 9-10, passive 7-8, detractor 0-6).',
      type: 'gauge',
      labelNames: ['category'],
      unit: 'count',
      seedName: 'chom_nps_responses{category}',
    },
  ],
  async collect({ sources, signal, options, reject, at }) {
    return sources.app.readOnly(signal, async (query) => {
      const rows = await runNamedQuery(
        query,
        npsQueries,
        options.queries,
        'responses',
        [options.windowDays],
        reject,
        at,
      );
      const samples: Sample[] = [];
      for (const row of rows.slice(0, 1)) {
        const counts = {
          promoters: columnValue(row, 'promoters'),
          passives: columnValue(row, 'passives'),
          detractors: columnValue(row, 'detractors'),
        };
        samples.push(
          sample('chom_nps_responses', counts.promoters, { category: 'promoter' }),
          sample('chom_nps_responses', counts.passives, { category: 'passive' }),
          sample('chom_nps_responses', counts.detractors, { category: 'detractor' }),
        );
        const score = npsScore(counts);
        if (score !== null) samples.push(sample('chom_nps_score', score));
      }
      return samples;
    });
  },
};
