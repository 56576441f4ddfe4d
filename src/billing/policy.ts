import { z } from 'zod';

/**
 * The choices the SaaS-metrics anchors disagree on, each a switch with a
 * default (see the README, "Billing definitions").
 */
export const billingPolicySchema = z
  .object({
    discounts: z
      .enum(['all_active', 'forever_only'])
      .default('all_active')
      .describe(
        'all_active: every discount still attached reduces MRR (ChartMogul, Baremetrics, ProfitWell); forever_only: only forever coupons (Stripe default).',
      ),
    churnRecognition: z
      .enum(['period_end', 'at_request'])
      .default('period_end')
      .describe(
        'period_end: a cancelled subscription counts until it ends; at_request: it leaves MRR when cancellation is scheduled.',
      ),
    pastDueGraceDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(30)
      .describe(
        'A past_due subscription counts in MRR for this many days after payment first failed in its dunning episode (README, Billing definitions), then as churned.',
      ),
    weeksPerMonth: z
      .number()
      .positive()
      .default(52 / 12)
      .describe('Weekly prices x this = monthly (52/12; 4 for "simple" tools).'),
    daysPerMonth: z
      .number()
      .positive()
      .default(365 / 12)
      .describe('Daily prices x this = monthly (365/12; 30 for "simple" tools).'),
  })
  .strict();

export type BillingPolicy = z.infer<typeof billingPolicySchema>;

export const defaultBillingPolicy: BillingPolicy = billingPolicySchema.parse({});
