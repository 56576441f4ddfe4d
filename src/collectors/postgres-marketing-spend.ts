import { z } from 'zod';
import { sample } from '../metrics/spec.js';
import { boundCurrency, boundLabel, sumByKey } from '../shared/bounded-labels.js';
import { columnValue, type QuerySpec } from '../sources/query-contract.js';
import { spendWindows, windowBounds } from './spend-windows.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import type { Collector } from './types.js';

/**
 * Spend per channel and currency booked from day `$1` to day `$2` (both
 * included), by `spend_date`: the day the money was booked for, not when the
 * row was written, so late bookings land in the right window. The collector
 * works out each window's days (see spend-windows.ts), so an override only
 * filters on them. (Not the window's length as `$1`, as elsewhere: an override
 * written for that would fail loudly here instead of summing calendar days
 * under a business-day label.)
 */
export const marketingSpendQueries = {
  spend: {
    sql: `SELECT channel, currency, coalesce(sum(amount), 0) AS amount
FROM marketing_spend
WHERE spend_date >= $1::date AND spend_date <= $2::date
GROUP BY channel, currency`,
    labels: ['channel', 'currency'],
    values: ['amount'],
  },
} satisfies Record<string, QuerySpec>;

const windowList = z
  .array(z.number().int().min(1).max(366))
  .max(6)
  .refine((days) => new Set(days).size === days.length, 'expected distinct window lengths');

const optionsSchema = z
  .object({
    windowsDays: windowList
      .default([7, 30])
      .describe(
        'Trailing windows in business days (Monday to Friday; today is day 1 when it is one, weekend days inside the span count); each is a `window="<n>bd"` label value.',
      ),
    calendarWindowsDays: windowList
      .default([30])
      .describe(
        'Trailing windows in calendar days, today included; each is a `window="<n>d"` label value. 30 by default because CAC, cost per acquisition and ROI divide by counts over 30 calendar days.',
      ),
    queries: queryOverridesSchema(marketingSpendQueries),
  })
  .strict()
  .refine((options) => options.windowsDays.length + options.calendarWindowsDays.length > 0, {
    message: 'expected at least one window (windowsDays or calendarWindowsDays)',
    path: ['windowsDays'],
  });

type Options = z.infer<typeof optionsSchema>;

export const postgresMarketingSpend: Collector<Options> = {
  name: 'postgres_marketing_spend',
  description:
    'Marketing spend per channel and currency over trailing business-day (and calendar-day) windows.',
  source: 'postgres',
  defaultSchedule: '*/15 * * * *',
  defaultTimeoutSeconds: 60,
  optionsSchema,
  metrics: [
    {
      name: 'chom_marketing_spend',
      help: 'Marketing spend booked (by spend date) in the trailing window, in major currency units. window="<n>bd": the last n business days (Monday to Friday, today counted when it is one, weekend days inside the span included); window="<n>d": the last n calendar days, today included.',
      type: 'gauge',
      labelNames: ['channel', 'window', 'currency'],
      unit: 'currency',
      seedName: 'chom_marketing_spend_total{channel,period}',
      seedMapping:
        'a windowed sum is a gauge (no _total); `period` is named `window`, valued `7bd`, `30bd` (business days) and `30d` (calendar days); currency stated',
    },
  ],
  async collect({ sources, signal, options, reject, labelSets, at }) {
    return sources.app.readOnly(signal, async (query) => {
      const entries = [];
      for (const window of spendWindows(options.windowsDays, options.calendarWindowsDays)) {
        const { firstDay, lastDay } = await windowBounds(query, window, at);
        const rows = await runNamedQuery(
          query,
          marketingSpendQueries,
          options.queries,
          'spend',
          [firstDay, lastDay],
          reject,
        );
        for (const row of rows) {
          entries.push({
            labels: {
              channel: boundLabel(row.labels.channel, labelSets.channels),
              window: window.label,
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
