import { z } from 'zod';
import { type Sample, sample } from '../metrics/spec.js';
import type { Reject } from '../shared/reject.js';
import { highestPlaceholder } from '../shared/sql-text.js';
import { columnValue, type QuerySpec } from '../sources/query-contract.js';
import type { QueryFn } from '../sources/sql-source.js';
import {
  applyReferralRound,
  createReferralState,
  planReferralRound,
  type ReferralState,
} from './referral-counts.js';
import { queryOverridesSchema, resolveQuery, runNamedQuery } from './sql-queries.js';
import type { Collector } from './types.js';
import { windowSamples, windowsDaysSchema } from './window-rows.js';

/**
 * Invitations sent and completed in ($1, $2], by `sent_at` and `completed_at`
 * ($1 NULL: from the start): each round reads only what is new since the last
 * one, so a deleted row never lowers a total (see referral-counts.ts).
 */
export const referralQueries = {
  sent: {
    sql: `SELECT count(*) AS sent FROM referrals
WHERE ($1::timestamptz IS NULL OR sent_at > $1::timestamptz) AND sent_at <= $2::timestamptz`,
    labels: [],
    values: ['sent'],
  },
  completed: {
    sql: `SELECT count(*) AS completed FROM referrals
WHERE ($1::timestamptz IS NULL OR completed_at > $1::timestamptz) AND completed_at <= $2::timestamptz`,
    labels: [],
    values: ['completed'],
  },
  /**
   * Invitations sent and completed in each trailing window of `$1` (days)
   * ending at `$at`: the `_in_window` gauges, one row per window.
   */
  in_window: {
    sql: `SELECT w.days::text AS days,
  (SELECT count(*) FROM referrals
   WHERE sent_at > $at - make_interval(days => w.days) AND sent_at <= $at) AS sent,
  (SELECT count(*) FROM referrals
   WHERE completed_at > $at - make_interval(days => w.days) AND completed_at <= $at) AS completed
FROM unnest($1::int[]) AS w(days)`,
    labels: ['days'],
    values: ['sent', 'completed'],
  },
} satisfies Record<string, QuerySpec>;

const optionsSchema = z
  .object({
    recountIntervalSeconds: z
      .number()
      .int()
      .min(60)
      .default(3600)
      .describe(
        'How often the whole table is recounted, to pick up rows that committed late (a recount only raises a total).',
      ),
    windowsDays: windowsDaysSchema,
    queries: queryOverridesSchema(referralQueries),
  })
  .strict();

type Options = z.infer<typeof optionsSchema>;

export const postgresReferrals: Collector<Options, ReferralState> = {
  name: 'postgres_referrals',
  description:
    'Referral invitations sent and completed (lifetime counters, and over trailing windows).',
  source: 'postgres',
  defaultSchedule: '*/5 * * * *',
  defaultTimeoutSeconds: 60,
  optionsSchema,
  metrics: [
    {
      name: 'chom_referrals_sent_total',
      help: 'Referral invitations ever sent: rows of the referrals table, each counted once when its sent_at has passed, so a deleted row stays counted; never lowered while the process runs.',
      type: 'counter',
      labelNames: [],
      unit: 'count',
      seedName: 'chom_referrals_sent_total',
    },
    {
      name: 'chom_referrals_completed_total',
      help: 'Referral invitations that led to a signup: rows of the referrals table, each counted once when its completed_at has passed, so a deleted row stays counted; never lowered while the process runs.',
      type: 'counter',
      labelNames: [],
      unit: 'count',
      seedName: 'chom_referrals_completed_total',
    },
    {
      name: 'chom_referrals_sent_in_window',
      help: 'Referral invitations sent in the trailing window: sent_at in the last n days of 24 hours up to the run\'s instant (window="<n>d"; 7d and 30d by default).',
      type: 'gauge',
      labelNames: ['window'],
      unit: 'count',
    },
    {
      name: 'chom_referrals_completed_in_window',
      help: 'Referral invitations completed (the invitee signed up) in the trailing window: completed_at in the last n days of 24 hours up to the run\'s instant (window="<n>d"; 7d and 30d by default).',
      type: 'gauge',
      labelNames: ['window'],
      unit: 'count',
    },
  ],
  createState: createReferralState,
  inheritState(previous, next) {
    if (JSON.stringify(previous.options.queries) !== JSON.stringify(next.options.queries)) {
      next.log.warn('referral queries changed: counting the referrals table again from the start');
      return undefined;
    }
    return { ...previous.state };
  },
  async collect({ sources, signal, options, state, reject, now, at }) {
    const startedAt = now();
    const plan = planReferralRound(state, startedAt, options.recountIntervalSeconds * 1000);
    const read = await sources.app.readOnly(signal, async (query) => {
      // The database's clock bounds the rows: the clock that wrote sent_at and completed_at.
      const clock = await query('SELECT now()::text AS as_of', [], { asText: true });
      const asOf = String(clock.rows[0]?.as_of);
      const count = (name: 'sent' | 'completed') =>
        countReferrals(query, options, reject, name, plan.after, asOf);
      const windows = await referralWindowSamples(query, options, reject, at);
      return { sent: await count('sent'), completed: await count('completed'), asOf, windows };
    });
    applyReferralRound(state, plan, read, startedAt);
    return [
      sample('chom_referrals_sent_total', state.sent),
      sample('chom_referrals_completed_total', state.completed),
      ...read.windows,
    ];
  },
};

export type ReferralOptions = Options;

/**
 * Invitations sent or completed in (after, upTo] (after null: from the start)
 * with the (possibly overridden) query: a live round's increment, or with
 * after null and upTo an instant, the lifetime count as of it.
 */
export async function countReferrals(
  query: QueryFn,
  options: Options,
  reject: Reject,
  name: 'sent' | 'completed',
  after: string | null,
  upTo: string,
): Promise<number> {
  // An override that ignored the range would add the whole table again every round.
  if (highestPlaceholder(resolveQuery(referralQueries, options.queries, name).sql) < 2)
    throw new Error(`referral query "${name}" must count only the rows in the range $1 to $2`);
  const [row] = await runNamedQuery(
    query,
    referralQueries,
    options.queries,
    name,
    [after, upTo],
    reject,
  );
  if (!row) throw new Error(`referral query "${name}" returned no row`);
  const value = columnValue(row, name);
  // A count below zero would lower a counter: the round fails and adds nothing.
  if (value < 0) {
    reject('negative_counter', { query: name, column: name, value });
    throw new Error(`referral query "${name}" returned a negative count: ${value}`);
  }
  return value;
}

/** The `_in_window` gauges as of `at`. */
export async function referralWindowSamples(
  query: QueryFn,
  options: Options,
  reject: Reject,
  at: Date,
): Promise<Sample[]> {
  const rows = await runNamedQuery(
    query,
    referralQueries,
    options.queries,
    'in_window',
    [options.windowsDays],
    reject,
    at,
  );
  return windowSamples(rows, options.windowsDays, reject, 'in_window', [
    ['sent', 'chom_referrals_sent_in_window'],
    ['completed', 'chom_referrals_completed_in_window'],
  ]);
}
