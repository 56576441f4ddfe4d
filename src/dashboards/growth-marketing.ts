import { TableCellDisplayMode } from '@grafana/grafana-foundation-sdk/common';
import { type Dashboard, FieldColorModeId } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardUids } from '../kpi/ids.js';
import type { KpiConfig } from '../kpi/kpi-config.js';
import {
  barGaugePanel,
  buildBoard,
  filterVariable,
  labelVariable,
  override,
  pieChartPanel,
  statPanel,
  tablePanel,
  thresholdsProperty,
  timeSeriesPanel,
  titleOf,
  unitProperty,
  units,
} from './common.js';
import { trialsLeadsFunnelRow } from './growth-marketing.funnel.js';
import { growthMarketingQueries as q } from './growth-marketing.queries.js';
import { below, belowGoal, neutral, pct, seedBenchmarks } from './thresholds.js';

/** The cohort table's columns in month order (the cohort collector reports at most 36 months). */
const cohortColumnOrder: Record<string, number> = Object.fromEntries([
  ['cohort\\month', 0],
  ...Array.from({ length: 37 }, (_, month) => [`M${String(month).padStart(2, '0')}`, month + 1]),
]);

/** Growth & Marketing board: acquisition, channels, campaigns, landing pages, referrals, cohorts. */
export function growthMarketingDashboard(kpi: KpiConfig): Dashboard {
  const t = kpi.thresholds;
  const roi = seedBenchmarks.marketingRoi;
  const lifetime = kpi.maxCustomerLifetimeMonths;
  const email = seedBenchmarks.email;
  const moneyNote = 'Amounts are in the currency chosen above (no conversion between currencies).';

  return buildBoard({
    uid: dashboardUids.growth,
    title: titleOf('growth'),
    description:
      'Acquisition channels, campaign performance and growth: for marketing teams, to put spend where it works. Daily: signups and CPA; weekly: channel comparison and week-over-week growth; monthly: cohorts and ROI by channel.',
    tags: ['chom', 'growth', 'marketing', 'kpi'],
    timeFrom: 'now-30d',
    variables: [
      labelVariable({
        name: 'currency',
        label: 'Currency',
        description:
          'Money panels show one currency at a time; amounts are never converted. Currencies with marketing spend or with revenue by channel.',
        query: q.currencyValues,
        current: kpi.reportingCurrency,
      }),
      filterVariable({
        name: 'channel',
        label: 'Channel',
        description: 'Acquisition channels shown in the channel panels.',
        query: q.channelValues,
      }),
    ],
    rows: [
      {
        title: 'Acquisition',
        cells: [
          statPanel({
            title: 'Signups (7 days)',
            description:
              'New user registrations over the last 7 days: the top-of-funnel health indicator; watch the trend, not single numbers. The weekly alert judges trials started (Trial signups, below), not all signups.',
            unit: units.count,
            queries: [{ expr: q.signups7d, legend: 'Signups (7 days)' }],
            thresholds: neutral,
            decimals: 0,
            width: 4,
            height: 5,
          }),
          statPanel({
            title: 'Signup growth (week over week)',
            description:
              'Signups of the last 7 days against the 7 days before: ((this week - last week) / last week). Early stage: 20%+ weekly is strong. Empty until Prometheus holds the 7-day signup count of a week ago (and for a week after a gap in it).',
            unit: units.ratio,
            queries: [{ expr: q.signupGrowthWeekOverWeek, legend: 'WoW growth' }],
            decimals: 1,
            width: 4,
            height: 5,
          }),
          statPanel({
            title: 'Activation rate (7 days)',
            description: `Share of signups who completed activation (their first meaningful action) over 7 days: the bridge from acquisition to engagement. Excellent above 70%, good 50-70%, needs work below 50%; orange below ${pct(t.activationRate.warning)} (the alert threshold).`,
            unit: units.ratio,
            queries: [{ expr: q.activation7d, legend: 'Activation' }],
            thresholds: below(t.activationRate),
            decimals: 1,
            width: 4,
            height: 5,
          }),
          statPanel({
            title: 'Registered users',
            description:
              'All registered users (not deleted): the user base that signups add to and that monthly active users are drawn from.',
            unit: units.count,
            queries: [{ expr: q.registeredUsers, legend: 'Registered users' }],
            width: 4,
            height: 5,
          }),
          statPanel({
            title: 'Signups and activations (30 days)',
            description:
              'Signups and users who activated in the last 30 days (all channels), counted by the exporter over the whole 30 days, however much history Prometheus holds.',
            unit: units.count,
            queries: [
              { expr: q.signups30d, legend: 'Signups' },
              { expr: q.activated30d, legend: 'Activated' },
            ],
            decimals: 0,
            width: 8,
            height: 5,
          }),
          timeSeriesPanel({
            title: 'Signups per hour by channel',
            description:
              'New signups per hour by acquisition channel: organic search, paid ads, referral, direct, social, email, content. Double down on channels that grow; test and fix the ones that stall.',
            unit: units.count,
            queries: [
              {
                expr: q.signupsPerHourByChannel,
                legend: '{{channel}}',
              },
            ],
            stacked: true,
            width: 12,
            height: 8,
          }),
          pieChartPanel({
            title: 'Signups by channel (30 days)',
            description:
              'Mix of acquisition channels over the last 30 days, counted by the exporter. Diversify to avoid depending on one channel.',
            unit: units.count,
            queries: [
              {
                expr: q.signupsByChannel30d,
                legend: '{{channel}}',
                instant: true,
              },
            ],
            decimals: 0,
            width: 12,
            height: 8,
          }),
          timeSeriesPanel({
            title: 'Signups and activations per hour',
            description:
              'All signups and the users who completed activation, per hour, from the counters: when in the period users arrived and reached their first meaningful action.',
            unit: units.count,
            queries: [
              { expr: q.signupsPerHour, legend: 'Signups' },
              { expr: q.activationsPerHour, legend: 'Activations' },
            ],
            width: 24,
            height: 6,
          }),
        ],
      },
      trialsLeadsFunnelRow(kpi),
      {
        title: 'Channels: spend, cost and return (30 days)',
        cells: [
          barGaugePanel({
            title: 'Marketing spend by channel, 30 days ($currency)',
            description: `Marketing spend per channel over the last 30 calendar days: the spend that CPA, efficiency and ROI beside it divide by. ${moneyNote}`,
            unit: units.money,
            queries: [{ expr: q.spendByChannel30d, legend: '{{channel}}', instant: true }],
            width: 5,
            height: 8,
          }),
          barGaugePanel({
            title: 'Cost per acquisition by channel, 30 days ($currency)',
            description: `Channel spend over 30 days / signups from that channel over 30 days: what one new user costs per channel. Shift budget from high-CPA to low-CPA channels; the acceptable CPA depends on LTV. Channels without spend have no CPA, nor has a channel with spend in several currencies (its signups cannot be split between them). ${moneyNote}`,
            unit: units.money,
            queries: [
              { expr: q.costPerAcquisitionByChannel, legend: '{{channel}}', instant: true },
            ],
            width: 5,
            height: 8,
          }),
          barGaugePanel({
            title: 'Marketing efficiency by channel, 30 days',
            description: `New MRR / marketing spend (seed: "Marketing Efficiency"): the MRR now of the customers whose first payment in the selected currency fell in the last 30 days, by the channel that acquired them, over the channel's spend in that currency in those 30 days. Above 1 a month of spend brings at least as much new monthly revenue; orange below ${t.marketingEfficiency.warning ?? '-'}, the threshold of the alert, which judges all channels together (ChomMarketingEfficiencyLow); 0 when spend brought no customer.`,
            unit: units.multiple,
            queries: [
              { expr: q.marketingEfficiencyByChannel, legend: '{{channel}}', instant: true },
            ],
            thresholds: below({ ...t.marketingEfficiency, critical: null }),
            decimals: 2,
            width: 4,
            height: 8,
          }),
          barGaugePanel({
            title: 'Marketing ROI by channel, 30 days',
            description: `(Expected lifetime value of the customers the channel acquired in the last 30 days - its spend in those 30 days) / its spend, in the selected currency. Lifetime value = their MRR x gross margin (${kpi.grossMargin}) x expected lifetime, 1 / trailing 30-day churn capped at ${lifetime} months (kpi.maxCustomerLifetimeMonths). 0 is break-even (a 1:1 return), -1 nothing came back; red below ${roi.breakEven} (losing money: optimise or cut), green above ${roi.good} (a 3:1 return), blue above ${roi.excellent} (5:1: invest more). Brand building pays back later than this shows.`,
            unit: units.multiple,
            queries: [{ expr: q.marketingRoiByChannel, legend: '{{channel}}', instant: true }],
            thresholds: [
              { value: null, color: 'red' },
              { value: roi.breakEven, color: 'orange' },
              { value: roi.good, color: 'green' },
              { value: roi.excellent, color: 'blue' },
            ],
            decimals: 2,
            width: 5,
            height: 8,
          }),
          barGaugePanel({
            title: 'MRR by acquisition channel ($currency)',
            description: `Monthly recurring revenue of all paying customers by the channel that acquired them, whenever that was: which channels bring revenue, not just signups. ${moneyNote}`,
            unit: units.money,
            queries: [{ expr: q.mrrByChannel, legend: '{{channel}}', instant: true }],
            width: 5,
            height: 8,
          }),
        ],
      },
      {
        title: 'Email campaigns',
        cells: [
          tablePanel({
            title: 'Email campaign funnel',
            description:
              'For each recent campaign: recipients sent, opened, clicked and converted, and the open, click-through and conversion rates (of sent). Benchmarks for B2B SaaS: open 15-25%, click-through 2-5%, conversion 1-5%. Improve opens with subject lines and send times, clicks with clear calls to action, conversions with the landing page.',
            unit: units.count,
            queries: [
              { expr: q.campaignSent, legend: 'Sent', instant: true, table: true },
              { expr: q.campaignOpened, legend: 'Opened', instant: true, table: true },
              { expr: q.campaignClicked, legend: 'Clicked', instant: true, table: true },
              { expr: q.campaignConverted, legend: 'Converted', instant: true, table: true },
              { expr: q.campaignOpenRate, legend: 'Open rate', instant: true, table: true },
              { expr: q.campaignClickRate, legend: 'Click rate', instant: true, table: true },
              {
                expr: q.campaignConversionRate,
                legend: 'Conversion rate',
                instant: true,
                table: true,
              },
            ],
            transformations: [
              { id: 'merge', options: {} },
              {
                id: 'organize',
                options: {
                  excludeByName: { Time: true },
                  renameByName: {
                    campaign: 'Campaign',
                    'Value #A': 'Sent',
                    'Value #B': 'Opened',
                    'Value #C': 'Clicked',
                    'Value #D': 'Converted',
                    'Value #E': 'Open rate',
                    'Value #F': 'Click rate',
                    'Value #G': 'Conversion rate',
                  },
                },
              },
            ],
            overrides: [
              override.byRegexp('.* rate$', [
                unitProperty(units.ratio),
                { id: 'decimals', value: 1 },
              ]),
            ],
            width: 16,
            height: 9,
          }),
          barGaugePanel({
            title: 'Email rates across recent campaigns',
            description: `Open, click-through and conversion rates over all recent campaigns together (of emails sent). Open rate: red below ${pct(t.emailOpenRate.warning)} (the alert threshold, the low end of the seed's 15-25% B2B benchmark), green from the ${pct(kpi.targets.emailOpenRate)} goal (seed 004, kpi.targets.emailOpenRate). Click-through and conversion: red below the seed's B2B benchmarks, ${pct(email.clickRate)} and ${pct(email.conversionRate)}.`,
            unit: units.ratio,
            queries: [
              {
                expr: q.allCampaignsOpenRate,
                legend: 'Open rate',
                instant: true,
              },
              {
                expr: q.allCampaignsClickRate,
                legend: 'Click-through rate',
                instant: true,
              },
              {
                expr: q.allCampaignsConversionRate,
                legend: 'Conversion rate',
                instant: true,
              },
            ],
            overrides: [
              override.byQuery('A', [
                thresholdsProperty(belowGoal(t.emailOpenRate.warning, kpi.targets.emailOpenRate)),
              ]),
              override.byQuery('B', [
                thresholdsProperty(below({ warning: email.clickRate, critical: null })),
              ]),
              override.byQuery('C', [
                thresholdsProperty(below({ warning: email.conversionRate, critical: null })),
              ]),
            ],
            decimals: 1,
            min: 0,
            max: 1,
            width: 8,
            height: 9,
          }),
        ],
      },
      {
        title: 'Landing pages',
        cells: [
          timeSeriesPanel({
            title: 'Landing page visits per hour',
            description:
              'Visits per hour of each landing page: where campaign and search traffic lands.',
            unit: units.count,
            queries: [
              {
                expr: q.landingPageVisitsPerHour,
                legend: '{{page}}',
              },
            ],
            width: 8,
            height: 8,
          }),
          timeSeriesPanel({
            title: 'Landing page conversions per hour',
            description:
              "Conversions (the page's call to action completed) per hour of each landing page: a campaign that brings visits but no conversions shows here first.",
            unit: units.count,
            queries: [{ expr: q.landingPageConversionsPerHour, legend: '{{page}}' }],
            width: 8,
            height: 8,
          }),
          barGaugePanel({
            title: 'Landing page conversion (7 days)',
            description: `Share of visits that converted (completed the page's call to action) over 7 days, per page. Visits and conversions are counted by the exporter over the whole 7 days. Above 10% is above average, 5-10% average, below 5% below average; orange below ${pct(t.landingPageConversion.warning)} (the alert threshold, which judges only pages with at least ${kpi.minLandingPageVisits} visits in the 7 days). Check headline, value proposition, social proof, form length and load time.`,
            unit: units.ratio,
            queries: [
              {
                expr: q.landingPageConversion7d,
                legend: '{{page}}',
                instant: true,
              },
            ],
            thresholds: below(t.landingPageConversion),
            decimals: 1,
            width: 8,
            height: 8,
          }),
        ],
      },
      {
        title: 'Referrals and virality',
        cells: [
          statPanel({
            title: 'K-factor (30 days)',
            description: `Virality: new users each active user brings = invitations per user x invitation conversion = completed referrals over 30 days / monthly active users. Above ${seedBenchmarks.kFactorViral} growth is viral; at 1 self-sustaining; below 1 other channels are needed. Improve by making sharing easy and rewarding both sides.`,
            unit: units.multiple,
            queries: [{ expr: q.kFactor30d, legend: 'K-factor' }],
            thresholds: below({ warning: seedBenchmarks.kFactorViral, critical: null }),
            decimals: 3,
            width: 4,
            height: 7,
          }),
          statPanel({
            title: 'Referral conversion (30 days)',
            description:
              'Referral invitations completed (led to a signup) in the last 30 days / invitations sent in them, counted by the exporter over the whole 30 days. 20-40% is strong.',
            unit: units.ratio,
            queries: [{ expr: q.referralConversion30d, legend: 'Referral conversion' }],
            decimals: 1,
            width: 4,
            height: 7,
          }),
          statPanel({
            title: 'Referrals sent per active user (30 days)',
            description: `Referral invitations sent over the last 30 days per monthly active user (seed 002 "Referrals per Active User": target above ${kpi.targets.referralsPerActiveUser} per MAU): how engaged users are with the referral program. Green from the goal (kpi.targets.referralsPerActiveUser, exported as chom_kpi_target_ratio and shown beside).`,
            unit: units.multiple,
            queries: [
              { expr: q.referralsSentPerActiveUser, legend: 'Per active user' },
              { expr: q.referralsPerActiveUserGoal, legend: 'Goal' },
            ],
            thresholds: below({ warning: kpi.targets.referralsPerActiveUser, critical: null }),
            overrides: [override.byName('Goal', [thresholdsProperty(neutral)])],
            decimals: 2,
            width: 4,
            height: 7,
          }),
          timeSeriesPanel({
            title: 'Referrals sent and completed per hour',
            description:
              'Referral invitations sent by customers and invitations that turned into signups, per hour.',
            unit: units.count,
            queries: [
              {
                expr: q.referralsSentPerHour,
                legend: 'Sent',
              },
              {
                expr: q.referralsCompletedPerHour,
                legend: 'Completed',
              },
            ],
            width: 12,
            height: 7,
          }),
        ],
      },
      {
        title: 'Cohort retention',
        cells: [
          tablePanel({
            title: 'Cohort retention (share of each signup month still active)',
            description:
              'Each row is a signup cohort (month, UTC); each column the months since signup (M00 = the signup month); each cell the share of the cohort with a session in that month. Read down a column to see whether newer cohorts retain better, along a row for the shape of the curve (a flattening "smile" is good). Healthy: month 1 above 60%, month 3 above 40%, month 12 above 20%.',
            unit: units.ratio,
            queries: [
              {
                expr: q.cohortRetention,
                legend: '{{cohort}} {{month}}',
                instant: true,
                table: true,
              },
            ],
            min: 0,
            max: 1,
            decimals: 0,
            colorScheme: FieldColorModeId.ContinuousRdYlGr,
            cellOptions: { type: TableCellDisplayMode.ColorBackground },
            transformations: [
              {
                id: 'groupingToMatrix',
                options: {
                  rowField: 'cohort',
                  columnField: 'month',
                  valueField: 'Value',
                  emptyValue: 'null',
                },
              },
              {
                id: 'organize',
                options: {
                  // Grafana orders the matrix columns as the series arrive; this fixes M00, M01, ... M36.
                  indexByName: cohortColumnOrder,
                  renameByName: { 'cohort\\month': 'Cohort' },
                },
              },
            ],
            overrides: [
              override.byName('Cohort', [{ id: 'custom.cellOptions', value: { type: 'auto' } }]),
            ],
            width: 16,
            height: 10,
          }),
          barGaugePanel({
            title: 'Cohort size',
            description:
              'Users who signed up in each cohort month: the base the retention percentages are taken of. Small cohorts make percentages jumpy.',
            unit: units.count,
            queries: [
              {
                expr: q.cohortSize,
                legend: '{{cohort}}',
                instant: true,
              },
            ],
            width: 8,
            height: 10,
          }),
        ],
      },
    ],
  });
}
