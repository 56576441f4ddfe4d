import type { Seed } from './seed-coverage-item.js';

const noCash =
  'Not covered: cash, costs and COGS are in none of the sources (the reference schema, the events table, Stripe).';

/** Seed 003: the KPI framework (categories, executive layout, alert thresholds). */
export const seed003: Seed = {
  id: '003',
  title: 'KPI framework',
  items: [
    {
      item: 'MRR, with alert thresholds 10,000 (warning) and 5,000 (critical)',
      places: [
        { panel: ['business', 'MRR ($currency)'] },
        { panel: ['business', 'MRR trend and 30-day forecast ($currency)'] },
        { alert: 'ChomMrrLow' },
        { config: 'kpi.thresholds.mrr' },
        { config: 'kpi.moneyThresholds' },
      ],
      note: 'Per currency: the reporting currency from kpi.thresholds.mrr, others only from kpi.moneyThresholds.<currency>.mrr; the floors are dashed lines on the MRR trend.',
    },
    {
      item: 'ARR = MRR x 12',
      places: [
        { panel: ['business', 'ARR ($currency)'] },
        { rule: 'currency:chom_revenue_arr:sum' },
      ],
    },
    {
      item: 'ARPU = MRR / active users',
      places: [
        { panel: ['business', 'ARPU per active user ($currency)'] },
        { rule: 'currency:chom_revenue_arpu:ratio' },
      ],
      note: 'Per currency over all monthly active users; the seed gives no target, so no threshold.',
    },
    {
      item: 'LTV, CAC and LTV:CAC (> 3.0)',
      places: [
        { panel: ['business', 'LTV ($currency)'] },
        { panel: ['business', 'CAC ($currency)'] },
        { panel: ['business', 'LTV : CAC'] },
        { alert: 'ChomLtvToCacLow' },
      ],
    },
    {
      item: 'Gross margin (> 70%)',
      places: [{ config: 'kpi.grossMargin' }],
      note: `Configured (default 0.8) and used by LTV, ROI and payback; measuring it: ${noCash}`,
    },
    {
      item: 'Net revenue retention (> 100%)',
      places: [
        { panel: ['business', 'Net revenue retention'] },
        { alert: 'ChomNetRevenueRetentionLow' },
      ],
    },
    {
      item: 'DAU/MAU (target > 25%)',
      places: [
        { panel: ['business', 'DAU / MAU'] },
        { panel: ['business', 'DAU / MAU against its goal'] },
        { config: 'kpi.targets.dauMau' },
        { alert: 'ChomDauMauLow' },
      ],
      note: 'Green from the 25% goal; the alert fires below 10% (seed 002).',
    },
    {
      item: 'Daily active users, with alert thresholds 500 (warning) and 200 (critical)',
      places: [
        { panel: ['business', 'Active users (DAU / WAU / MAU)'] },
        { alert: 'ChomDailyActiveUsersLow' },
        { config: 'kpi.thresholds.dau' },
      ],
    },
    {
      item: 'Active users, month over month',
      places: [
        { panel: ['business', 'Active users, month over month'] },
        { rule: 'chom:users_active_monthly_growth:ratio30d' },
      ],
      note: 'MAU against 30 days ago; absent until Prometheus holds 30 days.',
    },
    {
      item: 'Conversion rate (new customers / trial signups) and trial to paid',
      places: [{ panel: ['business', 'Trial → paid (30 days)'] }, { alert: 'ChomTrialToPaidLow' }],
    },
    {
      item: 'Virality factor (referrals per user, > 1.0)',
      places: [{ panel: ['growth', 'K-factor (30 days)'] }],
      note: 'Orange below 1 (viral growth above it); no alert.',
    },
    {
      item: 'Net Promoter Score (> 50)',
      places: [{ panel: ['customerSuccess', 'Net Promoter Score'] }, { alert: 'ChomNpsLow' }],
      note: 'The alert fires below 30 (the brief); 50 is a goal.',
    },
    {
      item: 'Mean session duration, with alert thresholds 300 s (warning) and 180 s (critical)',
      places: [
        { panel: ['business', 'Mean session duration'] },
        { panel: ['customerSuccess', 'Mean session duration'] },
        { alert: 'ChomSessionDurationLow' },
        { config: 'kpi.thresholds.sessionDuration' },
      ],
    },
    {
      item: 'Feature adoption, time to value, support tickets per user',
      places: [
        { panel: ['customerSuccess', 'Feature adoption (30 days)'] },
        { panel: ['customerSuccess', 'Time to first value'] },
        { panel: ['customerSuccess', 'Tickets per customer (30 days)'] },
      ],
      note: 'Tickets are counted per paying customer, as seed 002 defines the healthy ratio.',
    },
    {
      item: 'Return rate (users returning / total users)',
      places: [{ panel: ['growth', 'Cohort retention (share of each signup month still active)'] }],
      note: 'Shown as cohort retention (the share of each signup month active later); no separate return-rate metric.',
    },
    { item: 'Burn rate and runway (> 18 months)', places: [], note: noCash },
    { item: 'Unit economics ((LTV - service cost) / CAC > 1.5)', places: [], note: noCash },
    {
      item: 'Marketing efficiency (new MRR / marketing spend > 1.0)',
      places: [
        { panel: ['business', 'Marketing efficiency, all channels ($currency)'] },
        { panel: ['growth', 'Marketing efficiency by channel, 30 days'] },
        { rule: 'currency:chom_marketing_efficiency:ratio30d' },
        { alert: 'ChomMarketingEfficiencyLow' },
        { config: 'kpi.thresholds.marketingEfficiency' },
      ],
      note: 'All channels per currency (the alert) and by channel; empty until billing exports new MRR per window.',
    },
    {
      item: 'Executive layout: MRR with % MoM, active users with % MoM, goal progress, trends, alerts, quick stats',
      places: [
        { panel: ['business', 'MRR growth this month'] },
        { panel: ['business', 'Progress to MRR target ($currency)'] },
        { panel: ['business', 'Active users over time'] },
        { panel: ['customerSuccess', 'CSAT'] },
      ],
      note: 'Alerts reach Alertmanager (docs/alerting.md) rather than a board box.',
    },
  ],
};
