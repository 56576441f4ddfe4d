import { z } from 'zod';
import { sample } from '../metrics/spec.js';
import { columnValue, type QuerySpec } from './query-contract.js';
import { queryOverridesSchema, runNamedQuery } from './sql-queries.js';
import type { Collector } from './types.js';

/** Lifetime totals read from the table: counters stay exact across restarts and replicas. */
export const referralQueries = {
  referrals: {
    sql: `SELECT count(*) AS sent, count(completed_at) AS completed FROM referrals`,
    labels: [],
    values: ['sent', 'completed'],
  },
} satisfies Record<string, QuerySpec>;

const optionsSchema = z.object({ queries: queryOverridesSchema(referralQueries) }).strict();

export const postgresReferrals: Collector<z.infer<typeof optionsSchema>> = {
  name: 'postgres_referrals',
  description: 'Referral invitations sent and completed (lifetime counters).',
  source: 'postgres',
  defaultSchedule: '*/5 * * * *',
  defaultTimeoutSeconds: 60,
  optionsSchema,
  metrics: [
    {
      name: 'chom_referrals_sent_total',
      help: 'Referral invitations ever sent.',
      type: 'counter',
      labelNames: [],
      unit: 'count',
      seedName: 'chom_referrals_sent_total',
    },
    {
      name: 'chom_referrals_completed_total',
      help: 'Referral invitations that led to a signup.',
      type: 'counter',
      labelNames: [],
      unit: 'count',
      seedName: 'chom_referrals_completed_total',
    },
  ],
  async collect({ sources, signal, options, reject }) {
    return sources.app.readOnly(signal, async (query) => {
      const [row] = await runNamedQuery(
        query,
        referralQueries,
        options.queries,
        'referrals',
        [],
        reject,
      );
      if (!row) return [];
      return [
        sample('chom_referrals_sent_total', columnValue(row, 'sent')),
        sample('chom_referrals_completed_total', columnValue(row, 'completed')),
      ];
    });
  },
};
