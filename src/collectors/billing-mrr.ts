import { z } from 'zod';
import { computeTotals, customerMrrAt, customersPayingBefore } from '../billing/aggregate.js';
import { billingMetrics } from '../billing/billing-metrics.js';
import { billingSamples } from '../billing/billing-samples.js';
import {
  loadMirrorSnapshot,
  type MirrorQueryName,
  mirrorQueries,
} from '../billing/mirror-source.js';
import { monthStartOf, openingBasis, resolveMonthOpening } from '../billing/month-opening.js';
import { reconstructingStore } from '../billing/month-start-store.js';
import { computeMovements } from '../billing/movements.js';
import { billingPolicySchema } from '../billing/policy.js';
import { subscriptionStatuses } from '../billing/types.js';
import type { Collector } from './types.js';

const optionsSchema = z
  .object({
    source: z
      .enum(['database', 'stripe'])
      .default('database')
      .describe(
        'database: the billing mirror tables of the app database; stripe: the Stripe API (needs stripe.apiKey).',
      ),
    policy: billingPolicySchema
      .prefault({})
      .describe('Definition switches (see README, Billing definitions).'),
    tiers: z
      .object({
        values: z
          .array(z.string().min(1).max(64))
          .min(1)
          .max(20)
          .default(['starter', 'professional', 'enterprise'])
          .describe('Values of the `tier` label; prices that map to none of them are `other`.'),
        byId: z
          .record(z.string(), z.string())
          .default({})
          .describe(
            'Explicit tier of a price id, price lookup key or product id; wins over metadata.',
          ),
      })
      .strict()
      .prefault({})
      .describe('Mapping of prices to tiers.'),
    openingGraceMinutes: z
      .number()
      .int()
      .min(1)
      .max(1440)
      .default(60)
      .describe(
        'An opening recorded later than this after the month began is flagged as reconstructed.',
      ),
    queries: z
      .object(
        Object.fromEntries(
          Object.entries(mirrorQueries).map(([name, spec]) => [
            name,
            z
              .string()
              .min(1)
              .optional()
              .describe(
                `Replaces the mirror query "${name}"; columns [${spec.columns.join(', ')}].`,
              ),
          ]),
        ) as Record<MirrorQueryName, z.ZodOptional<z.ZodString>>,
      )
      .strict()
      .prefault({})
      .describe('SQL overrides of the billing mirror queries.'),
  })
  .strict();

type Options = z.infer<typeof optionsSchema>;

/** Months whose recorded opening was found under another basis, so that is logged once. */
interface State {
  readonly warnedMonths: Set<string>;
}

export const billingMrr: Collector<Options, State> = {
  name: 'billing_mrr',
  description:
    'MRR by tier and currency, committed MRR, customers, MRR movements and churn for the current month, from Stripe or the billing mirror.',
  source: 'billing',
  defaultSchedule: '*/10 * * * *',
  defaultTimeoutSeconds: 600,
  optionsSchema,
  metrics: billingMetrics,
  createState: () => ({ warnedMonths: new Set() }),
  // From Stripe, billing needs no app database (the state database is separate).
  readsDatabase: (options) => options.source === 'database',
  async collect({ sources, signal, options, reject, labelSets, log, state }) {
    const snapshot =
      options.source === 'stripe'
        ? await requireStripe(sources.stripe).loadSnapshot(signal, reject)
        : await sources.app.readOnly(signal, (query) =>
            loadMirrorSnapshot(query, options.queries, reject),
          );
    const now = new Date();
    const monthStart = monthStartOf(now);
    const opening = await resolveMonthOpening(
      sources.monthStartStore ?? reconstructingStore,
      snapshot,
      {
        now,
        policy: options.policy,
        basis: openingBasis(options.source, options.policy),
        graceMinutes: options.openingGraceMinutes,
      },
    );
    const month = monthStart.toISOString().slice(0, 7);
    if (opening.recordedUnderAnotherBasis && !state.warnedMonths.has(month)) {
      state.warnedMonths.add(month);
      log.warn(
        { month },
        "this month's opening MRR was recorded under another billing source or policy: reconstructed under the current one (flagged) until the month ends",
      );
    }
    const paidBefore = new Set([
      ...customersPayingBefore(snapshot, monthStart),
      ...opening.paidInEarlierMonths,
    ]);
    const end = customerMrrAt(snapshot, now, options.policy);
    const tierMapping = { tiers: options.tiers.values, byId: options.tiers.byId };
    return billingSamples({
      totals: computeTotals(snapshot, now, options.policy, tierMapping, labelSets.channels),
      movements: computeMovements(opening.mrr, end, paidBefore),
      openingReconstructed: opening.reconstructed,
      tiers: options.tiers.values,
      statuses: subscriptionStatuses,
    });
  },
};

function requireStripe<T>(stripe: T | undefined): T {
  if (!stripe)
    throw new Error(
      'billing_mrr.source is "stripe" but no Stripe API key is configured (stripe.apiKey or CHOM_STRIPE_API_KEY)',
    );
  return stripe;
}
