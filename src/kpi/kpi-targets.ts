import { z } from 'zod';

/**
 * Seed 004's month-by-month MRR plan (Starter $19, Professional $49, Business
 * $99): month 1 is January 2026, the month the seed boards were released (002,
 * version 1.0 of 2026-01-02). After month 6, mrrTargetDefault (4,900, the
 * plan's goal) applies.
 */
export const seedMrrPlan = [
  { month: '2026-01', amount: 970 },
  { month: '2026-02', amount: 1700 },
  { month: '2026-03', amount: 2300 },
  { month: '2026-04', amount: 3200 },
  { month: '2026-05', amount: 4000 },
  { month: '2026-06', amount: 4900 },
] as const;

export const mrrTargetsSchema = z
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
  .default(seedMrrPlan.map((entry) => ({ ...entry })))
  .describe(
    "MRR goal per calendar month (YYYY-MM), in the reporting currency; the current month's is exported. Default: seed 004's six-month plan (970, 1,700, 2,300, 3,200, 4,000, 4,900), month 1 taken as 2026-01, when the seed boards were released; set your own.",
  );

/**
 * Goals the boards judge against without alerting (an alert below a goal
 * would fire for most of the way to it). Exported as chom_kpi_target_ratio.
 */
export const targetsSchema = z
  .object({
    dauMau: z
      .number()
      .positive()
      .default(0.25)
      .describe('DAU/MAU goal (seed 003: > 25%); the alert floor is thresholds.dauMau.'),
    referralsPerActiveUser: z
      .number()
      .positive()
      .default(0.5)
      .describe(
        'Referral invitations sent over 30 days per monthly active user (seed 002: > 0.5).',
      ),
    emailOpenRate: z
      .number()
      .positive()
      .max(1)
      .default(0.25)
      .describe(
        'Open rate goal of the email campaigns (seed 004: > 25%); the alert floor is thresholds.emailOpenRate.',
      ),
  })
  .strict()
  .prefault({})
  .describe('Goals of ratio KPIs: the boards colour green from them; no alert fires below them.');

export type KpiTargets = z.infer<typeof targetsSchema>;

/** The same goals under the `kpi` label values chom_kpi_target_ratio carries. */
export const targetLabels: Record<keyof KpiTargets, string> = {
  dauMau: 'dau_mau',
  referralsPerActiveUser: 'referrals_per_active_user',
  emailOpenRate: 'email_open_rate',
};

const every = (value: number, what: string) =>
  z
    .number()
    .int()
    .positive()
    .nullable()
    .default(value)
    .describe(`${what}; null: no milestone alert.`);

/**
 * Milestones (seed 000: "New milestone (100 ORGs, $1K MRR): celebrate and
 * share"): an info alert announces each multiple of the step once, when it is
 * first reached in 30 days.
 */
export const milestonesSchema = z
  .object({
    organizationsEvery: every(100, 'An organizations milestone at every multiple of this count'),
    customersEvery: every(50, 'A paying-customers milestone at every multiple of this count'),
    mrrEvery: every(
      1000,
      'An MRR milestone at every multiple of this amount, in the reporting currency',
    ),
  })
  .strict()
  .prefault({})
  .describe(
    'Milestone steps: an info alert (to the business team, once, never resolved by mail) when a multiple is reached for the first time in 30 days.',
  );

export type KpiMilestones = z.infer<typeof milestonesSchema>;
