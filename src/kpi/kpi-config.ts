import { z } from 'zod';
import { milestonesSchema, mrrTargetsSchema, targetsSchema } from './kpi-targets.js';
import {
  type KpiThresholdName,
  type MoneyThresholdName,
  threshold,
  thresholdsSchema,
} from './kpi-thresholds.js';

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
    mrrTargets: mrrTargetsSchema,
    mrrTargetDefault: z
      .number()
      .nonnegative()
      .default(4900)
      .describe('MRR goal for months without an entry in mrrTargets.'),
    thresholds: thresholdsSchema,
    targets: targetsSchema,
    milestones: milestonesSchema,
    leadChannels: z
      .array(
        z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a channel label value such as "organic"'),
      )
      .min(1)
      .default(['organic', 'content'])
      .describe(
        'Acquisition channels whose signups count as leads (seed 000, "Content engine: organic traffic + leads/mo"): a lead is a signup that came from content marketing.',
      ),
    minFunnelStageEvents: z
      .number()
      .int()
      .nonnegative()
      .default(20)
      .describe(
        'Events a funnel stage needs in the previous 7 days before its drop alert may fire (a drop from 3 to 1 is noise).',
      ),
    moneyThresholds: z
      .record(
        currencyCode,
        z
          .object({
            mrr: threshold(undefined, undefined, 'MRR in this currency: alert below.'),
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
        'Money thresholds of currencies other than the reporting currency, by ISO code (e.g. EUR: { cac: { warning: 55 }, mrr: { warning: 9000 } }). A currency without an entry has no CAC or MRR alert: an amount in one currency is never compared with a threshold in another.',
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
export type { KpiThresholdName, MoneyThresholdName } from './kpi-thresholds.js';
export type KpiThreshold = KpiConfig['thresholds'][KpiThresholdName];

/**
 * The money threshold `name` of each currency that has one: the reporting
 * currency's from `thresholds`, the others' from `moneyThresholds` (a
 * currency without an entry is never judged).
 */
export function moneyThresholds(
  kpi: KpiConfig,
  name: MoneyThresholdName,
): { currency: string; threshold: KpiThreshold }[] {
  const others = Object.entries(kpi.moneyThresholds)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, money]) => ({ currency, threshold: money[name] }));
  return [{ currency: kpi.reportingCurrency, threshold: kpi.thresholds[name] }, ...others];
}

/** The CAC threshold of each currency that has one. */
export const cacThresholds = (kpi: KpiConfig) => moneyThresholds(kpi, 'cac');

export const defaultKpiConfig: KpiConfig = kpiSchema.parse({});
