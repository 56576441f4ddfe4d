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

const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as "EUR"');

/**
 * Targets and alert thresholds: the one place they are set. The alert rules,
 * the dashboards' thresholds and the exported target metrics are all generated
 * from these values (defaults from the seed documents).
 */
export const kpiSchema = z
  .object({
    reportingCurrency: currencyCode
      .default('USD')
      .describe(
        'Currency of the money thresholds in `thresholds` (the CAC ceiling) and of the MRR targets (which exist in this currency only); the money thresholds of other currencies are in moneyThresholds.',
      ),
    grossMargin: z
      .number()
      .min(0)
      .max(1)
      .default(0.8)
      .describe('Gross margin used by LTV, ROI and CAC payback (0-1).'),
    maxCustomerLifetimeMonths: z
      .number()
      .positive()
      .default(60)
      .describe(
        'Longest customer lifetime, in months, that marketing ROI credits a new customer with (lifetime = 1 / trailing 30-day churn, capped here; 60 as Stripe assumes at zero churn).',
      ),
    minLandingPageVisits: z
      .number()
      .int()
      .nonnegative()
      .default(100)
      .describe(
        'Visits over 7 days a landing page needs before its conversion alert may fire (fewer visits make the ratio noise).',
      ),
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
        churnRate: threshold(
          0.05,
          0.07,
          'Customer churn over the trailing 30 days, per currency (ratio): alert above.',
        ),
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
        cac: threshold(
          60,
          75,
          'Blended CAC over 30 days in the reporting currency: alert above (other currencies: moneyThresholds).',
        ),
        weeklySignups: threshold(25, 20, 'Signups over 7 days: alert below.'),
        landingPageConversion: threshold(
          0.02,
          undefined,
          'Landing page conversion over 7 days (ratio): alert below.',
        ),
        dauMau: threshold(0.1, undefined, 'DAU/MAU (ratio): alert below.'),
        nrr: threshold(
          1,
          undefined,
          'Net revenue retention this month, per currency (ratio): alert below.',
        ),
      })
      .strict()
      .prefault({})
      .describe(
        'Warning and critical thresholds; null disables that severity. Ratios apply to every currency; money (cac) is in the reporting currency.',
      ),
    moneyThresholds: z
      .record(
        currencyCode,
        z
          .object({
            cac: threshold(
              undefined,
              undefined,
              'Blended CAC over 30 days in this currency: alert above.',
            ),
          })
          .strict(),
      )
      .default({})
      .describe(
        'Money thresholds of currencies other than the reporting currency, by ISO code (e.g. EUR: { cac: { warning: 55 } }). A currency without an entry has no CAC alert: an amount in one currency is never compared with a threshold in another.',
      ),
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
  .strict()
  .superRefine((kpi, context) => {
    // Two places for one currency's thresholds would leave a reader guessing which applies.
    if (kpi.reportingCurrency in kpi.moneyThresholds)
      context.addIssue({
        code: 'custom',
        path: ['moneyThresholds', kpi.reportingCurrency],
        message: `${kpi.reportingCurrency} is the reporting currency: its money thresholds are kpi.thresholds`,
      });
  });

export type KpiConfig = z.infer<typeof kpiSchema>;
export type KpiThresholdName = keyof KpiConfig['thresholds'];
export type KpiThreshold = KpiConfig['thresholds'][KpiThresholdName];

/**
 * The CAC threshold of each currency that has one: the reporting currency's
 * from `thresholds.cac`, the others' from `moneyThresholds`.
 */
export function cacThresholds(kpi: KpiConfig): { currency: string; threshold: KpiThreshold }[] {
  const others = Object.entries(kpi.moneyThresholds)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, money]) => ({ currency, threshold: money.cac }));
  return [{ currency: kpi.reportingCurrency, threshold: kpi.thresholds.cac }, ...others];
}

export const defaultKpiConfig: KpiConfig = kpiSchema.parse({});
