import { z } from 'zod';
import { type Sample, sample } from '../metrics/spec.js';
import { columnValue, type QuerySpec } from '../sources/query-contract.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import type { Collector } from './types.js';

/** Mean CSAT (1-5) over the `$1` days up to `$at`; no row when there were no responses. */
export const csatQueries = {
  csat: {
    sql: `SELECT avg(score)::float8 AS score, count(*) AS responses
FROM csat_responses
WHERE responded_at >= $at - make_interval(days => $1::int) AND responded_at <= $at
HAVING count(*) > 0`,
    labels: [],
    values: ['score', 'responses'],
  },
} satisfies Record<string, QuerySpec>;

const optionsSchema = z
  .object({
    windowDays: z.number().int().min(1).max(730).default(90).describe('Trailing window in days.'),
    queries: queryOverridesSchema(csatQueries),
  })
  .strict();

export const postgresCsat: Collector<z.infer<typeof optionsSchema>> = {
  name: 'postgres_csat',
  description:
    'Customer satisfaction (mean of 1-5 ratings) and responses over a trailing window (90 days).',
  source: 'postgres',
  defaultSchedule: '*/15 * * * *',
  defaultTimeoutSeconds: 60,
  optionsSchema,
  metrics: [
    {
      name: 'chom_csat_score',
      help: 'Mean CSAT rating (1 to 5) over the trailing window; absent without responses.',
      type: 'gauge',
      labelNames: [],
      unit: 'score',
      seedName: 'chom_csat_score',
    },
    {
      name: 'chom_csat_responses',
      help: 'CSAT responses in the trailing window.',
      type: 'gauge',
      labelNames: [],
      unit: 'count',
    },
  ],
  async collect({ sources, signal, options, reject, at }) {
    return sources.app.readOnly(signal, async (query) => {
      const rows = await runNamedQuery(
        query,
        csatQueries,
        options.queries,
        'csat',
        [options.windowDays],
        reject,
        at,
      );
      const samples: Sample[] = [sample('chom_csat_responses', 0)];
      const [row] = rows;
      if (row) {
        samples[0] = sample('chom_csat_responses', columnValue(row, 'responses'));
        samples.push(sample('chom_csat_score', columnValue(row, 'score')));
      }
      return samples;
    });
  },
};
