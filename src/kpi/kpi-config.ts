import { z } from 'zod';

const threshold = (
  warning: number | undefined,
  critical: number | undefined,
  description: string,
) =>
  z
    .object({
      warning: z
        .number()
        .nullable()
        .default(warning ?? null)
        .describe('Warning level; null: no warning alert.'),
      critical: z
        .number()
        .nullable()
        .default(critical ?? null)
        .describe('Critical level; null: no critical alert.'),
    })
    .strict()
    .prefault({})
    .describe(description);

/**
 * Targets and alert thresholds: the one place they are set. The alert rules,
 * the dashboards' thresholds and the exported target metrics are all generated
 * from these values (defaults from the seed documents).
 */
export const kpiSchema = z
  .object({
    reportingCurrency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('USD')
      .describe('Currency of money thresholds and targets (CAC ceiling, MRR target).'),
    grossMargin: z
      .number()
      .min(0)
      .max(1)
      .default(0.8)
      .describe('Gross margin used by LTV and CAC payback (0-1).'),
    mrrTargets: z
      .array(
        z
          .object({
            month: z
              .string()
              .regex(/^\d{4}-\d{2}$/)
              .describe('Calendar month, YYYY-MM (UTC).'),
            amount: z.number().nonnegative().describe('MRR goal for that month.'),
          })
          .strict(),
      )
      .default([])
      .describe(
        "MRR goal per calendar month (YYYY-MM), in the reporting currency; the current month's is exported.",
      ),
    mrrTargetDefault: z
      .number()
      .nonnegative()
      .default(4900)
      .describe('MRR goal for months without an entry in mrrTargets.'),
    thresholds: z
      .object({
        churnRate: threshold(0.05, 0.07, 'Customer churn this month (ratio): alert above.'),
        mrrGrowth: threshold(0.05, undefined, 'MRR growth over 30 days (ratio): alert below.'),
        mrrDecline: threshold(undefined, 0.2, 'MRR decline over 30 days (ratio): critical above.'),
        ltvToCac: threshold(3, 1, 'LTV:CAC: alert below.'),
        trialToPaid: threshold(
          0.25,
          0.1,
          'Trial-to-paid conversion over 30 days (ratio): alert below.',
        ),
        activationRate: threshold(
          0.5,
          undefined,
          'Signup-to-activation over 7 days (ratio): alert below.',
        ),
        nps: threshold(30, 0, 'Net Promoter Score: alert below.'),
        csat: threshold(3.5, undefined, 'CSAT (1-5): alert below.'),
        healthScore: threshold(undefined, 40, 'Organization health score: critical below.'),
        ticketsPerCustomer: threshold(
          0.3,
          undefined,
          'New tickets per paying customer over 30 days: alert above.',
        ),
        cac: threshold(60, 75, 'Blended CAC over 30 days in the reporting currency: alert above.'),
        weeklySignups: threshold(25, 20, 'Signups over 7 days: alert below.'),
        landingPageConversion: threshold(
          0.02,
          undefined,
          'Landing page conversion over 7 days (ratio): alert below.',
        ),
        dauMau: threshold(0.1, undefined, 'DAU/MAU (ratio): alert below.'),
        nrr: threshold(1, undefined, 'Net revenue retention this month (ratio): alert below.'),
      })
      .strict()
      .prefault({})
      .describe('Warning and critical thresholds; null disables that severity.'),
    links: z
      .object({
        runbookBaseUrl: z
          .string()
          .url()
          .default('https://github.com/chom-exporter/chom-exporter/blob/main/docs/runbooks.md')
          .describe('Runbook document; each alert links to its section anchor.'),
        grafanaUrl: z
          .string()
          .url()
          .default('http://localhost:3000')
          .describe('Grafana base URL for dashboard links.'),
      })
      .strict()
      .prefault({})
      .describe('Links put in alert annotations.'),
    resolutionSlaSeconds: z
      .object({
        critical: z
          .number()
          .positive()
          .default(2 * 3600),
        high: z
          .number()
          .positive()
          .default(8 * 3600),
        medium: z
          .number()
          .positive()
          .default(24 * 3600),
        low: z
          .number()
          .positive()
          .default(72 * 3600),
      })
      .strict()
      .prefault({})
      .describe('Resolution time SLA by ticket priority, in seconds.'),
  })
  .strict();

export type KpiConfig = z.infer<typeof kpiSchema>;
export type KpiThresholdName = keyof KpiConfig['thresholds'];

export const defaultKpiConfig: KpiConfig = kpiSchema.parse({});
