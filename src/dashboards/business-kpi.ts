import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardUids } from '../kpi/ids.js';
import { cacThresholds, type KpiConfig, moneyThresholds } from '../kpi/kpi-config.js';
import { engagementRow } from './business-kpi.engagement.js';
import { northStarRow } from './business-kpi.north-star.js';
import { plansRow } from './business-kpi.plans.js';
import { businessKpiQueries as q } from './business-kpi.queries.js';
import {
  barGaugePanel,
  buildBoard,
  filterVariable,
  fixedColor,
  labelVariable,
  override,
  statPanel,
  thresholdFromQuery,
  thresholdsProperty,
  timeSeriesPanel,
  titleOf,
  units,
} from './common.js';
import { above, below, neutral, pct, seedBenchmarks } from './thresholds.js';

/** Business KPI board: revenue, customer economics, churn, engagement, funnel, spend. */
export function businessKpiDashboard(kpi: KpiConfig): Dashboard {
  const t = kpi.thresholds;
  const cur = kpi.reportingCurrency;
  const growthSteps = below({
    warning: t.mrrGrowth.warning,
    critical: negate(t.mrrDecline.critical),
  });
  const moneyNote = `Amounts are in the currency chosen above (no conversion between currencies).`;
  const targetNote =
    "Each currency is judged only by thresholds set in that currency (this month's target, chom_kpi_target; the KPI config's money thresholds): a currency without one is not coloured.";
  const cacColours = cacThresholds(kpi).map(({ currency, threshold }) =>
    override.byName(`CAC (${currency})`, [thresholdsProperty(above(threshold))]),
  );
  // MRR floors (seed 003) per currency, drawn on the trend as dashed lines.
  const mrrFloors = moneyThresholds(kpi, 'mrr').map(({ currency, threshold }) =>
    override.byName(`MRR (${currency})`, [thresholdsProperty(below(threshold))]),
  );
  const floorsText = moneyThresholds(kpi, 'mrr')
    .filter(({ threshold }) => threshold.warning !== null || threshold.critical !== null)
    .map(
      ({ currency, threshold }) =>
        `${currency}: ${[threshold.critical, threshold.warning].filter((v) => v !== null).join(' and ')}`,
    )
    .join('; ');

  return buildBoard({
    uid: dashboardUids.business,
    title: titleOf('business'),
    description:
      'Revenue, customer economics and core business health: for executives and business leaders. Daily: MRR and DAU; weekly: funnel and customers; monthly: LTV:CAC and churn.',
    tags: ['chom', 'business', 'kpi'],
    timeFrom: 'now-30d',
    variables: [
      labelVariable({
        name: 'currency',
        label: 'Currency',
        description: 'Money panels show one currency at a time; amounts are never converted.',
        query: q.currencyValues,
        current: cur,
      }),
      filterVariable({
        name: 'tier',
        label: 'Tier',
        description: 'Pricing tiers shown in "MRR by tier".',
        query: q.tierValues,
      }),
    ],
    rows: [
      northStarRow(kpi),
      {
        title: 'Revenue',
        cells: [
          statPanel({
            title: 'MRR ($currency)',
            description: `Monthly recurring revenue: the predictable revenue of all active subscriptions, normalised to a month, after discounts. The primary indicator of business health. A steady upward trend is healthy growth; flat or declining means more new customers or less churn are needed. Green from this month's MRR target in the selected currency (chom_kpi_target, from the KPI config's mrrTargets and mrrTargetDefault), which the second query reads. ${targetNote} ${moneyNote}`,
            unit: units.money,
            queries: [
              { expr: q.mrr, legend: 'MRR ({{currency}})' },
              { expr: q.mrrTarget, legend: 'Target' },
            ],
            thresholds: neutral,
            transformations: [thresholdFromQuery('B', 'Target', 'green')],
            width: 4,
            height: 5,
          }),
          statPanel({
            title: 'MRR growth (30 days)',
            description: `Change of MRR against 30 days ago ((current - previous) / previous). Measures whether growth accelerates or slows. Healthy: 5-15% for established businesses, 15-30% early stage. Orange below ${pct(t.mrrGrowth.warning)}, red when MRR fell by more than ${pct(t.mrrDecline.critical)} (the alert thresholds). Empty until Prometheus holds MRR samples from 30 days ago, and for 30 days after a gap in them: never a growth over a shorter span.`,
            unit: units.ratio,
            queries: [
              {
                expr: q.mrrGrowth30d,
                legend: 'MRR growth ({{currency}})',
              },
            ],
            thresholds: growthSteps,
            decimals: 1,
            width: 4,
            height: 5,
          }),
          statPanel({
            title: 'MRR growth this month',
            description:
              'Change of MRR since the first day of this calendar month (UTC): (MRR now - MRR at month start) / MRR at month start. Available from the first scrape; early in the month it is naturally small, so it is not coloured against the 30-day growth target.',
            unit: units.ratio,
            queries: [
              {
                expr: q.mrrGrowthThisMonth,
                legend: 'Month to date ({{currency}})',
              },
            ],
            decimals: 1,
            width: 4,
            height: 5,
          }),
          statPanel({
            title: 'Progress to MRR target ($currency)',
            description: `MRR divided by this month's MRR target in the same currency, exported from the KPI config as chom_kpi_target{kpi="mrr"} (mrrTargets, else mrrTargetDefault; in ${cur}, the reporting currency). 100% means the goal is met; orange below it. Empty for a currency without a target.`,
            unit: units.ratio,
            queries: [
              {
                expr: q.progressToTarget,
                legend: 'Of target',
              },
            ],
            thresholds: [
              { value: null, color: 'orange' },
              { value: 1, color: 'green' },
            ],
            decimals: 0,
            width: 4,
            height: 5,
          }),
          statPanel({
            title: 'ARR ($currency)',
            description: `Annual recurring revenue = 12 x MRR: the yearly run-rate of current subscriptions. ${moneyNote}`,
            unit: units.money,
            queries: [{ expr: q.arr, legend: 'ARR ({{currency}})' }],
            width: 4,
            height: 5,
          }),
          statPanel({
            title: 'ARPA ($currency)',
            description: `Average revenue per account (ARPC in the seed): MRR / paying customers. Indicates pricing effectiveness and upsell success: a low ARPA suggests a price increase or better tier segmentation; a rising ARPA shows successful upselling. ${moneyNote}`,
            unit: units.money,
            queries: [{ expr: q.arpa, legend: 'ARPA ({{currency}})' }],
            width: 4,
            height: 5,
          }),
          statPanel({
            title: 'MRR in 30 days, forecast ($currency)',
            description: `Where MRR will be 30 days from now if the trend of the last 7 days continues: a straight line fitted to hourly MRR over 7 days (predict_linear), extrapolated 30 days. Empty until Prometheus holds 7 days of MRR. A trend, not a promise: one large deal or churn bends it. ${moneyNote}`,
            unit: units.money,
            queries: [{ expr: q.mrrForecast, legend: 'Forecast ({{currency}})' }],
            width: 4,
            height: 8,
          }),
          timeSeriesPanel({
            title: 'MRR trend and 30-day forecast ($currency)',
            description: `MRR over time; the dashed line is the forecast made 30 days earlier for each date (the 7-day linear trend then, extrapolated 30 days), drawn at the date it forecast so it can be compared with what happened; the forecast for 30 days from now is the number beside. It starts once Prometheus holds 37 days of MRR. The dotted line is this month's MRR target in the same currency (chom_kpi_target). The dashed horizontal lines are the MRR alert floors of the currency (seed 003; ${floorsText || 'none set'}); a currency without floors has none. ${moneyNote}`,
            unit: units.money,
            queries: [
              { expr: q.mrr, legend: 'MRR ({{currency}})' },
              {
                expr: q.mrrForecastMadeMonthAgo,
                legend: 'Forecast made 30 days earlier ({{currency}})',
              },
              {
                expr: q.mrrTarget,
                legend: 'Target this month ({{currency}})',
              },
            ],
            overrides: [
              override.byQuery('B', [
                { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
              ]),
              override.byQuery('C', [
                { id: 'custom.lineStyle', value: { fill: 'dot', dash: [0, 10] } },
              ]),
              ...mrrFloors,
            ],
            thresholdLines: true,
            width: 10,
            height: 8,
          }),
          timeSeriesPanel({
            title: 'MRR by tier ($currency)',
            description: `MRR split by pricing tier, stacked (the top line is total MRR of the selected tiers). Shows which tiers drive growth and whether customers move up-market. ${moneyNote}`,
            unit: units.money,
            queries: [
              {
                expr: q.mrrByTier,
                legend: '{{tier}} ({{currency}})',
              },
            ],
            stacked: true,
            width: 10,
            height: 8,
          }),
        ],
      },
      {
        title: 'Revenue retention and MRR movements (this month)',
        cells: [
          barGaugePanel({
            title: 'MRR movements this month ($currency)',
            description: `Where this month's MRR change comes from: new customers, expansion (upgrades), reactivation, contraction (downgrades) and churn (cancellations), since the 1st of the month (UTC). Losses are shown as positive amounts. MRR at month start + new + reactivation + expansion - contraction - churn = MRR now. ${moneyNote}`,
            unit: units.money,
            queries: [
              {
                expr: q.mrrMovements,
                legend: '{{movement}}',
                instant: true,
              },
            ],
            overrides: [
              override.byRegexp('^(new|expansion|reactivation)$', [fixedColor('green')]),
              override.byRegexp('^(contraction|churn)$', [fixedColor('red')]),
            ],
            width: 8,
            height: 6,
          }),
          statPanel({
            title: 'Net revenue retention',
            description: `NRR this month: (MRR at month start + expansion - contraction - churn) / MRR at month start. Above 100% the existing customers grow revenue on their own; orange below ${pct(t.nrr.warning)} (the alert threshold).`,
            unit: units.ratio,
            queries: [{ expr: q.nrr, legend: 'NRR ({{currency}})' }],
            thresholds: below(t.nrr),
            decimals: 1,
            width: 4,
            height: 6,
          }),
          statPanel({
            title: 'Quick ratio',
            description:
              'SaaS quick ratio this month: MRR gained (new + expansion + reactivation) / MRR lost (contraction + churn). Above 1 the business grows; around 4 is considered efficient growth. Empty when no MRR was lost this month.',
            unit: units.multiple,
            queries: [
              {
                expr: q.quickRatio,
                legend: 'Quick ratio ({{currency}})',
              },
            ],
            decimals: 2,
            width: 4,
            height: 6,
          }),
          timeSeriesPanel({
            title: 'Revenue churn this month (gross and net)',
            description:
              'Share of the MRR at month start lost this month. Gross = (churn + contraction) / opening MRR; net also subtracts expansion and reactivation, so a negative net churn means existing customers grew revenue.',
            unit: units.ratio,
            queries: [
              {
                expr: q.revenueChurn,
                legend: '{{kind}} ({{currency}})',
              },
            ],
            width: 8,
            height: 6,
          }),
        ],
      },
      {
        title: 'Customers, churn and retention',
        cells: [
          statPanel({
            title: 'Paying customers',
            description:
              'Customers with MRR above zero now, and at the start of the month for comparison.',
            unit: units.count,
            queries: [
              { expr: q.customers, legend: 'Now' },
              { expr: q.customersAtMonthStart, legend: 'At month start' },
            ],
            width: 4,
            height: 5,
          }),
          statPanel({
            title: 'Customer churn (this month)',
            description: `Share of the customers paying at the start of the month who cancelled since (customers lost / customers at month start). It starts from 0 on the 1st and only rises through the month, so it is not judged against the monthly thresholds: the trailing 30-day churn beside it is. Look for rising churn among high-value customers.`,
            unit: units.ratio,
            queries: [{ expr: q.customerChurnThisMonth, legend: 'Churn' }],
            decimals: 1,
            width: 4,
            height: 5,
          }),
          statPanel({
            title: 'Customer retention (this month)',
            description:
              '1 - customer churn this month: the share of the customers paying at month start still paying. Shows product stickiness; target above 95% a month. Like the churn beside it, it starts each month at 100% and is not coloured.',
            unit: units.ratio,
            queries: [{ expr: q.customerRetentionThisMonth, legend: 'Retention' }],
            decimals: 1,
            width: 4,
            height: 5,
          }),
          statPanel({
            title: 'Customer churn, trailing 30 days ($currency)',
            description: `Customers paying in the selected currency 30 days ago who are not paying now / customers paying 30 days ago (ChartMogul standard), computed by the billing source over the true window: the same on the 1st and the 28th of a month for the same churn, with no extrapolation. Benchmarks: excellent < 2%, good 2-5%, concerning 5-7%, critical > 7%. Orange from ${pct(t.churnRate.warning)}, red from ${pct(t.churnRate.critical)} (the alert thresholds, per currency). LTV divides by it.`,
            unit: units.ratio,
            queries: [{ expr: q.customerChurn30d, legend: 'Churn 30 days ({{currency}})' }],
            thresholds: above(t.churnRate),
            decimals: 1,
            width: 4,
            height: 5,
          }),
          barGaugePanel({
            title: 'Customer movements this month',
            description:
              'Customers this month by movement: new, reactivated, expanded (upgraded), contracted (downgraded) and churned (cancelled), since the 1st (UTC).',
            unit: units.count,
            queries: [
              {
                expr: q.customerMovements,
                legend: '{{movement}}',
                instant: true,
              },
            ],
            overrides: [
              override.byRegexp('^(new|expansion|reactivation)$', [fixedColor('green')]),
              override.byRegexp('^(contraction|churn)$', [fixedColor('red')]),
            ],
            width: 8,
            height: 5,
          }),
          timeSeriesPanel({
            title: 'Customer churn and retention over time',
            description: `Customer churn over the trailing 30 days in the selected currency (what the alerts judge), month-to-date churn (all currencies; it resets on the 1st of each month) and retention this month (1 - month-to-date churn). The dashed lines are the churn alert thresholds (${pct(t.churnRate.warning)}, ${pct(t.churnRate.critical)}).`,
            unit: units.ratio,
            queries: [
              { expr: q.customerChurn30d, legend: 'Churn, trailing 30 days ({{currency}})' },
              { expr: q.customerChurnThisMonth, legend: 'Churn (month to date)' },
              { expr: q.customerRetentionThisMonth, legend: 'Retention (this month)' },
            ],
            thresholds: above(t.churnRate),
            thresholdLines: true,
            width: 24,
            height: 7,
          }),
        ],
      },
      plansRow(kpi),
      {
        title: 'Customer economics',
        cells: [
          statPanel({
            title: 'CAC ($currency)',
            description: `Customer acquisition cost: marketing spend in the selected currency over the last 30 days / customers whose first payment in that currency fell in those 30 days (money is never divided by customers who pay in another currency). Empty without such customers. Benchmarks: low-touch SaaS $100-400, mid-market $500-2,000, enterprise $5,000+. Red flag: CAC rising faster than ARPA. Orange and red above the alert thresholds of its currency (${cur}: ${t.cac.warning}, ${t.cac.critical}; others: kpi.moneyThresholds). ${targetNote}`,
            unit: units.money,
            queries: [
              {
                expr: q.cac,
                legend: 'CAC ({{currency}})',
              },
            ],
            overrides: cacColours,
            width: 4,
            height: 6,
          }),
          statPanel({
            title: 'LTV ($currency)',
            description: `Customer lifetime value: ARPA x gross margin (${kpi.grossMargin}) / customer churn over the trailing 30 days, in the selected currency. The revenue a customer is expected to bring over its lifetime, and so how much you can spend to acquire one. The same on any day of the month for the same churn; empty when nobody churned in 30 days (an unbounded lifetime is not a value). ${moneyNote}`,
            unit: units.money,
            queries: [{ expr: q.ltv, legend: 'LTV ({{currency}})' }],
            width: 4,
            height: 6,
          }),
          statPanel({
            title: 'LTV : CAC',
            description: `Customer value per unit of acquisition cost. Below 1 each customer loses money; 1-3 is weak; 3-5 is good, sustainable growth; above 5 consider investing more in growth. Red below ${t.ltvToCac.critical}, orange below ${t.ltvToCac.warning} (alert thresholds, per currency). Empty while CAC is 0 (no spend) or LTV is empty. When low: reduce CAC or improve retention and pricing.`,
            unit: units.multiple,
            queries: [{ expr: q.ltvToCac, legend: 'LTV:CAC ({{currency}})' }],
            thresholds: below(t.ltvToCac),
            decimals: 1,
            width: 4,
            height: 6,
          }),
          statPanel({
            title: 'CAC payback (months)',
            description: `Months of gross margin a new customer needs to repay its acquisition cost: CAC / (ARPA x gross margin ${kpi.grossMargin}). Shorter is better; under 12 months is typical for healthy SaaS.`,
            unit: units.multiple,
            queries: [{ expr: q.cacPayback, legend: 'Payback ({{currency}})' }],
            decimals: 1,
            width: 4,
            height: 6,
          }),
          timeSeriesPanel({
            title: 'LTV and CAC over time ($currency)',
            description: `Lifetime value against acquisition cost. The gap between the lines is the margin earned on each new customer; LTV should stay at least ${t.ltvToCac.warning ?? 3} times CAC. ${moneyNote}`,
            unit: units.money,
            queries: [
              { expr: q.ltv, legend: 'LTV ({{currency}})' },
              {
                expr: q.cac,
                legend: 'CAC ({{currency}})',
              },
            ],
            width: 8,
            height: 6,
          }),
        ],
      },
      engagementRow(kpi),
      {
        title: 'Conversion funnel',
        cells: [
          barGaugePanel({
            title: 'Funnel (30 days)',
            description:
              'Users reaching each funnel stage in the last 30 days: signed up, activated (reached the "aha moment" of onboarding), started a trial, converted to paid. Counted by the exporter from the events table over the whole 30 days, however much history Prometheus holds. The drop between bars is where users are lost.',
            unit: units.count,
            queries: [
              {
                expr: q.funnelSignups,
                legend: '1. Signed up',
                instant: true,
              },
              {
                expr: q.funnelActivated,
                legend: '2. Activated',
                instant: true,
              },
              {
                expr: q.funnelTrialStarted,
                legend: '3. Started a trial',
                instant: true,
              },
              {
                expr: q.funnelPaid,
                legend: '4. Converted to paid',
                instant: true,
              },
            ],
            decimals: 0,
            width: 12,
            height: 6,
          }),
          statPanel({
            title: 'Signup → activation (7 days)',
            description: `Share of signups who completed activation, over the last 7 days. Target above 60%. Orange below ${pct(t.activationRate.warning)} (the alert threshold). If low: simplify onboarding, improve the first-run experience, add product tours.`,
            unit: units.ratio,
            queries: [{ expr: q.activation7d, legend: 'Activation' }],
            thresholds: below(t.activationRate),
            decimals: 1,
            width: 4,
            height: 6,
          }),
          statPanel({
            title: 'Activation → trial (30 days)',
            description: `Share of activated users who started a trial, over 30 days. Target above ${pct(seedBenchmarks.trialStart)} (seed benchmark): a clear value proposition and an easy trial start help.`,
            unit: units.ratio,
            queries: [{ expr: q.trialStart30d, legend: 'Trial start' }],
            thresholds: below({ warning: seedBenchmarks.trialStart, critical: null }),
            decimals: 1,
            width: 4,
            height: 6,
          }),
          statPanel({
            title: 'Trial → paid (30 days)',
            description: `Share of trials that became paying customers, over 30 days. Excellent above 40%, good 25-40%, needs improvement below 25%. Red below ${pct(t.trialToPaid.critical)}, orange below ${pct(t.trialToPaid.warning)} (alert thresholds). Improve by engaging users during the trial and demonstrating ROI early.`,
            unit: units.ratio,
            queries: [{ expr: q.trialToPaid30d, legend: 'Trial to paid' }],
            thresholds: below(t.trialToPaid),
            decimals: 1,
            width: 4,
            height: 6,
          }),
          timeSeriesPanel({
            title: 'Funnel steps per hour',
            description:
              'Signups, activations, trial starts and conversions to paid per hour, from the funnel counters: when in the period the funnel moved. The bars and rates above count whole windows of 7 or 30 days.',
            unit: units.count,
            queries: [
              { expr: q.signupsPerHour, legend: '1. Signed up' },
              { expr: q.activationsPerHour, legend: '2. Activated' },
              { expr: q.trialsPerHour, legend: '3. Started a trial' },
              { expr: q.conversionsToPaidPerHour, legend: '4. Converted to paid' },
            ],
            width: 24,
            height: 6,
          }),
        ],
      },
      {
        title: 'Marketing spend',
        cells: [
          statPanel({
            title: 'Marketing spend ($currency)',
            description: `Marketing spend booked over the trailing 30 and 7 business days, all channels. (CAC divides the spend of the last 30 calendar days, shown by channel on the Growth & Marketing board.) ${moneyNote}`,
            unit: units.money,
            queries: [
              {
                expr: q.spend30bd,
                legend: '30 business days ({{currency}})',
              },
              {
                expr: q.spend7bd,
                legend: '7 business days ({{currency}})',
              },
            ],
            width: 4,
            height: 7,
          }),
          barGaugePanel({
            title: 'Marketing spend by channel, 30 business days ($currency)',
            description: `Spend per acquisition channel over the trailing 30 business days. Compare with signups and CPA by channel on the Growth & Marketing board. ${moneyNote}`,
            unit: units.money,
            queries: [
              {
                expr: q.spendByChannel30bd,
                legend: '{{channel}}',
                instant: true,
              },
            ],
            width: 8,
            height: 7,
          }),
          timeSeriesPanel({
            title: 'Marketing spend by channel, trailing 7 days ($currency)',
            description: `Spend per channel over the trailing 7 business days, over time: shows budget shifts between channels. ${moneyNote}`,
            unit: units.money,
            queries: [
              {
                expr: q.spendByChannel7bd,
                legend: '{{channel}} ({{currency}})',
              },
            ],
            stacked: true,
            width: 8,
            height: 7,
          }),
          statPanel({
            title: 'Marketing efficiency, all channels ($currency)',
            description: `Seed 003 "Marketing Efficiency" = new MRR / marketing spend, over 30 days, in the selected currency: the MRR now of the customers whose first payment fell in the last 30 days over all the marketing spend of those 30 days (calendar days). Above 1 a month of spend brings at least as much new monthly revenue. Red below ${t.marketingEfficiency.warning ?? '-'} (the alert threshold); by channel on the Growth & Marketing board. 0 when spend brought no customer.`,
            unit: units.multiple,
            queries: [{ expr: q.marketingEfficiency, legend: 'Efficiency ({{currency}})' }],
            thresholds: belowFloor(t.marketingEfficiency.warning),
            decimals: 2,
            width: 4,
            height: 7,
          }),
        ],
      },
    ],
  });
}

const negate = (value: number | null) => (value === null ? null : -value);

/** Red below an alert floor, green from it (no floor: not judged). */
const belowFloor = (floor: number | null) =>
  floor === null
    ? neutral
    : [
        { value: null, color: 'red' },
        { value: floor, color: 'green' },
      ];
