import { z } from 'zod';
import { sample } from '../metrics/spec.js';
import { boundCurrency, boundLabel, sumByKey } from './bounded-labels.js';
import { columnValue, type QuerySpec } from './query-contract.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import type { Collector } from './types.js';

/**
 * Spend per channel and currency over the last `$1` business days, today
 * included. Windows follow `spend_date` (the day the money was booked for), not
 * the time a row was inserted, so late bookings land in the right window.
 */
export const marketingSpendQueries = {
  spend: {
    sql: `SELECT channel, currency, coalesce(sum(amount), 0) AS amount
FROM marketing_spend
WHERE spend_date > current_date - $1::int AND spend_date <= current_date
GROUP BY channel, currency`,
    labels: ['channel', 'currency'],
    values: ['amount'],
  },
} satisfies Record<string, QuerySpec>;

const optionsSchema = z
  .object({
    /** Each window becomes a `window="<n>d"` label value. */
    windowsDays: z
      .array(z.number().int().min(1).max(366))
      .min(1)
      .max(6)
      .default([7, 30])
      .describe('Trailing windows in business days; each is a `window="<n>d"` label value.'),
    queries: queryOverridesSchema(marketingSpendQueries),
  })
  .strict();

export const postgresMarketingSpend: Collector<z.infer<typeof optionsSchema>> = {
  name: 'postgres_marketing_spend',
  description: 'Marketing spend per channel and currency over trailing business-day windows.',
  source: 'postgres',
  defaultSchedule: '*/15 * * * *',
  defaultTimeoutSeconds: 60,
  optionsSchema,
  metrics: [
    {
      name: 'chom_marketing_spend',
      help: 'Marketing spend booked in the trailing window of business days, in major currency units.',
      type: 'gauge',
      labelNames: ['channel', 'window', 'currency'],
      unit: 'currency',
      seedName: 'chom_marketing_spend_total{channel,period}',
      seedMapping:
        'a windowed sum is a gauge (no _total); `period` is named `window`; currency stated',
    },
  ],
  async collect({ sources, signal, options, reject, labelSets }) {
    return sources.app.readOnly(signal, async (query) => {
      const entries = [];
      for (const days of options.windowsDays) {
        const rows = await runNamedQuery(
          query,
          marketingSpendQueries,
          options.queries,
          'spend',
          [days],
          reject,
        );
        for (const row of rows) {
          entries.push({
            labels: {
              channel: boundLabel(row.labels.channel, labelSets.channels),
              window: `${days}d`,
              currency: boundCurrency(row.labels.currency),
            },
            value: columnValue(row, 'amount'),
          });
        }
      }
      return sumByKey(entries).map(({ labels, value }) =>
        sample('chom_marketing_spend', value, labels),
      );
    });
  },
};
