import { z } from 'zod';
import { billingFolder } from '../billing/billing-fold.js';
import { billingMetrics } from '../billing/billing-metrics.js';
import { instantSamples } from '../billing/instant-samples.js';
import { defaultMirrorPageCustomers, mirrorPages } from '../billing/mirror-pages.js';
import { type MirrorQueryName, mirrorQueries } from '../billing/mirror-source.js';
import { monthStartOf, openingBasis, resolveMonthOpening } from '../billing/month-opening.js';
import { computeMovements } from '../billing/movements.js';
import { billingPolicySchema } from '../billing/policy.js';
import { reconstructedFolder } from '../billing/reconstructed-fold.js';
import { billingWindows } from '../billing/trailing-window.js';
import type { BillingSnapshot } from '../billing/types.js';
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
          .default(['starter', 'professional', 'business', 'enterprise'])
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
    pageCustomers: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(defaultMirrorPageCustomers)
      .describe(
        'source database: customers read per page of the billing mirror (all their subscriptions at once); memory follows this, not the mirror size.',
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
                `Replaces the mirror query "${name}"; columns [${spec.columns.join(', ')}]. Read as a subquery, filtered to a page of customers.`,
              ),
          ]),
        ) as Record<MirrorQueryName, z.ZodOptional<z.ZodString>>,
      )
      .strict()
      .prefault({})
      .describe('SQL overrides of the billing mirror queries.'),
  })
  .strict();

export type BillingMrrOptions = z.infer<typeof optionsSchema>;
type Options = BillingMrrOptions;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Months whose recorded opening was found under another basis, so that is logged once. */
interface State {
  readonly warnedMonths: Set<string>;
}

export const billingMrr: Collector<Options, State> = {
  name: 'billing_mrr',
  description:
    'MRR by tier and currency, committed MRR, customers, MRR movements and churn for the current month, acquisition and churn over the trailing 30 days, from Stripe or the billing mirror, as of the run (or a backfill step).',
  source: 'billing',
  defaultSchedule: '*/10 * * * *',
  defaultTimeoutSeconds: 600,
  optionsSchema,
  metrics: billingMetrics,
  createState: () => ({ warnedMonths: new Set() }),
  // From Stripe, billing needs no app database (the state database is separate).
  readsDatabase: (options) => options.source === 'database',
  async collect({ sources, signal, options, reject, labelSets, log, state, at, now }) {
    const monthStart = monthStartOf(at);
    // The earliest instant computed: the month's opening or a window's start. Stripe reads the
    // invoices of subscriptions whose items changed since, to know the items in force then.
    const since = new Date(
      Math.min(monthStart.getTime(), ...billingWindows.map((w) => at.getTime() - w.days * DAY_MS)),
    );
    const settings = {
      at,
      monthStart,
      policy: options.policy,
      tiers: { tiers: options.tiers.values, byId: options.tiers.byId },
      channels: labelSets.channels,
      windows: billingWindows,
    };
    const sampleSettings = {
      tiers: options.tiers.values,
      channels: labelSets.channels,
      source: options.source,
    };
    const readPages = async (add: (page: BillingSnapshot) => void) => {
      if (options.source === 'stripe') {
        add(await requireStripe(sources.stripe).loadSnapshot(signal, reject, { since }));
        return;
      }
      // Page by page inside one read-only snapshot: memory follows the page, not the mirror.
      await sources.app.readOnly(signal, async (query) => {
        for await (const page of mirrorPages(query, options.queries, reject, options.pageCustomers))
          add(page);
      });
    };
    // The month-opening store records the running month only: a past month (a backfill step) is
    // reconstructed from the subscriptions' timelines and recorded nowhere.
    const liveMonth = monthStart.getTime() === monthStartOf(new Date(now())).getTime();
    const store = liveMonth ? sources.monthStartStore : undefined;
    if (!store) {
      // Every customer's opening comes from their own subscriptions: movements are summed page
      // by page like the rest, and nothing about a customer outlives their page.
      const folder = reconstructedFolder(settings);
      await readPages(folder.add);
      return instantSamples(folder.finish(), sampleSettings);
    }
    const folder = billingFolder(settings);
    await readPages(folder.add);
    const { totals, windows, reconstructedOpening, paidBeforeMonth } = folder.finish();
    const opening = await resolveMonthOpening(store, () => reconstructedOpening, {
      now: at,
      basis: openingBasis(options.source, options.policy),
      graceMinutes: options.openingGraceMinutes,
    });
    const month = monthStart.toISOString().slice(0, 7);
    if (opening.recordedUnderAnotherBasis && !state.warnedMonths.has(month)) {
      state.warnedMonths.add(month);
      log.warn(
        { month },
        "this month's opening MRR was recorded under another billing source or policy: reconstructed under the current one (flagged) until the month ends",
      );
    }
    const paidBefore = new Set([...paidBeforeMonth, ...opening.paidInEarlierMonths]);
    const movements = computeMovements(opening.mrr, totals.byCustomer, paidBefore);
    return instantSamples(
      { totals, movements, windows, openingReconstructed: opening.reconstructed },
      sampleSettings,
    );
  },
};

function requireStripe<T>(stripe: T | undefined): T {
  if (!stripe)
    throw new Error(
      'billing_mrr.source is "stripe" but no Stripe API key is configured (stripe.apiKey or CHOM_STRIPE_API_KEY)',
    );
  return stripe;
}
