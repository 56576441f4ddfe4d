import { z } from 'zod';

/** A warning and a critical level, each nullable (null: no alert at that severity). */
export const threshold = (
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
 * The alert thresholds of `kpi.thresholds`, defaults from the seed documents
 * (where a seed disagrees with the product brief, the brief's value is the
 * default: `thresholdSources` says which document each comes from).
 */
export const thresholdsSchema = z
  .object({
    churnRate: threshold(
      0.05,
      0.07,
      'Customer churn over the trailing 30 days, per currency (ratio): alert above.',
    ),
    mrrGrowth: threshold(0.05, undefined, 'MRR growth over 30 days (ratio): alert below.'),
    mrrDecline: threshold(undefined, 0.2, 'MRR decline over 30 days (ratio): critical above.'),
    mrr: threshold(
      10000,
      5000,
      'MRR in the reporting currency: alert below (other currencies: moneyThresholds).',
    ),
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
    firstResponseTime: threshold(
      undefined,
      4 * 3600,
      'Mean first response time of a ticket priority over 30 days, in seconds: alert above.',
    ),
    cac: threshold(
      60,
      75,
      'Blended CAC over 30 days in the reporting currency: alert above (other currencies: moneyThresholds).',
    ),
    weeklySignups: threshold(25, 20, 'Trials started over 7 days (trial signups): alert below.'),
    monthlyLeads: threshold(
      20,
      undefined,
      'Leads over 30 days (signups from kpi.leadChannels): alert below.',
    ),
    funnelStageDrop: threshold(
      0.4,
      undefined,
      'Drop of a funnel stage over 7 days against the 7 days before (ratio, 0.4 = 40% fewer): alert above.',
    ),
    landingPageConversion: threshold(
      0.02,
      undefined,
      'Landing page conversion over 7 days (ratio): alert below.',
    ),
    emailOpenRate: threshold(
      0.15,
      undefined,
      'Open rate over the recent email campaigns together (ratio): alert below.',
    ),
    marketingEfficiency: threshold(
      1,
      undefined,
      'Marketing efficiency over 30 days, all channels, per currency (new MRR / spend): alert below.',
    ),
    dau: threshold(500, 200, 'Daily active users (trailing 24 hours): alert below.'),
    sessionDuration: threshold(
      300,
      180,
      'Mean session duration over 30 days, in seconds: alert below.',
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
    'Warning and critical thresholds; null disables that severity. Ratios apply to every currency; money (mrr, cac) is in the reporting currency.',
  );

export type KpiThresholds = z.infer<typeof thresholdsSchema>;
export type KpiThresholdName = keyof KpiThresholds;

/** The thresholds in money: per currency, in kpi.thresholds (reporting currency) or kpi.moneyThresholds. */
export const moneyThresholdNames = ['mrr', 'cac'] as const satisfies readonly KpiThresholdName[];
export type MoneyThresholdName = (typeof moneyThresholdNames)[number];

/**
 * Where each default threshold comes from: the seed documents (000 referral
 * platform, 002 BI dashboards, 003 KPI framework, 004 growth tracking) and the
 * product brief, which wins where a seed disagrees. docs/alerting.md shows it.
 */
export const thresholdSources: Record<KpiThresholdName, string> = {
  churnRate: 'brief and 002 (5% / 7%); 004 says 6% / 8% and 000 "red if > 5%": the brief wins',
  mrrGrowth: 'brief and 002 (< 5%); 000 targets > 15% a month, a goal rather than an alert',
  mrrDecline: '000 (critical: MRR decline > 20%)',
  mrr: '003 (10,000 / 5,000); 004 plans to reach 4,900 by month 6, which stays below both',
  ltvToCac:
    'brief and 002 (< 3; < 1 "unsustainable"); 000 (> 6:1) and 004 (> 4:1) are targets: the brief wins',
  trialToPaid:
    "brief and 002 (warning < 25%); 004 (red flag < 10%); 004's yellow flag 12% yields to the brief",
  activationRate: 'brief, 000 and 002 (< 50%)',
  nps: 'brief and 002 (< 30; < 0 "critical issues")',
  csat: '002 (< 3.5 "concerning")',
  healthScore: 'brief and 002 (< 40 "critical")',
  ticketsPerCustomer: '002 (< 0.3 a month is healthy); 004 targets < 0.1, a goal',
  firstResponseTime: '004 (red flag: support response time > 4 hours); 002 targets < 1 hour',
  cac: '004 (yellow flag > $60, red flag > $75); 000 targets < $30, a goal',
  weeklySignups: '004 (weekly trial signups: yellow flag < 25, red flag < 20)',
  monthlyLeads: '000 (leads < 20 a month)',
  funnelStageDrop: '000 (drop > 40% at any funnel stage)',
  landingPageConversion: '004 (yellow flag < 2%)',
  emailOpenRate: '002 (B2B benchmark 15-25%: below 15%); 004 targets > 25% (kpi.targets)',
  marketingEfficiency: '003 (new MRR / marketing spend > 1.0)',
  dau: '003 (500 / 200)',
  sessionDuration: '003 (300 s / 180 s)',
  dauMau: '002 (< 10% low engagement); 003 targets > 25% (kpi.targets)',
  nrr: '000 and 003 (> 100%)',
};
