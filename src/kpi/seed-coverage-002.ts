import type { Seed } from './seed-coverage-item.js';

/** Seed 002: the three BI dashboards and their metric contract (docs/metrics.md maps the names). */
export const seed002: Seed = {
  id: '002',
  title: 'BI dashboards (Business KPI, Customer Success, Growth & Marketing)',
  items: [
    {
      item: 'MRR and MRR growth rate (healthy 5-15%; act below 5%)',
      places: [
        { panel: ['business', 'MRR ($currency)'] },
        { panel: ['business', 'MRR growth (30 days)'] },
        { panel: ['business', 'MRR by tier ($currency)'] },
        { alert: 'ChomMrrGrowthLow' },
      ],
    },
    {
      item: 'Revenue per customer (ARPC)',
      places: [{ panel: ['business', 'ARPA ($currency)'] }],
    },
    {
      item: 'CAC, LTV (ARPC / churn) and LTV:CAC (act below 3)',
      places: [
        { panel: ['business', 'CAC ($currency)'] },
        { panel: ['business', 'LTV ($currency)'] },
        { panel: ['business', 'LTV : CAC'] },
        { alert: 'ChomLtvToCacLow' },
      ],
      note: 'LTV uses gross margin (kpi.grossMargin) and trailing 30-day churn (the brief).',
    },
    {
      item: 'Monthly churn (concerning 5-7%, critical above 7%) and retention rate',
      places: [
        { panel: ['business', 'Customer churn, trailing 30 days ($currency)'] },
        { panel: ['business', 'Customer retention (this month)'] },
        { alert: 'ChomChurnRateHigh' },
      ],
    },
    {
      item: 'DAU, WAU, MAU and DAU/MAU (below 10% low engagement)',
      places: [
        { panel: ['business', 'Active users (DAU / WAU / MAU)'] },
        { panel: ['business', 'DAU / MAU'] },
        { alert: 'ChomDauMauLow' },
      ],
    },
    {
      item: 'Conversion funnel: signup → activation (> 60%), activation → trial (> 70%), trial → paid (act below 25%)',
      places: [
        { panel: ['business', 'Funnel (30 days)'] },
        { panel: ['business', 'Signup → activation (7 days)'] },
        { panel: ['business', 'Activation → trial (30 days)'] },
        { panel: ['business', 'Trial → paid (30 days)'] },
        { alert: 'ChomTrialToPaidLow' },
      ],
    },
    {
      item: 'Customer health score (bands 0-40-60-80-100; critical below 40)',
      places: [
        { panel: ['customerSuccess', 'Mean health score'] },
        { panel: ['customerSuccess', 'Organizations by health band'] },
        { panel: ['customerSuccess', 'At-risk organizations (lowest health scores)'] },
        { alert: 'ChomCustomerHealthCritical' },
      ],
    },
    {
      item: 'Health score trend ("health score declining: customer at risk")',
      places: [
        { panel: ['customerSuccess', 'Health score over time'] },
        { panel: ['customerSuccess', 'Organizations by health band over time'] },
      ],
    },
    {
      item: 'NPS (act below 30) and CSAT (concerning below 3.5)',
      places: [
        { panel: ['customerSuccess', 'Net Promoter Score'] },
        { panel: ['customerSuccess', 'CSAT'] },
        { alert: 'ChomNpsLow' },
        { alert: 'ChomCsatLow' },
      ],
    },
    {
      item: 'Engagement score, feature adoption, time to first value',
      places: [
        { panel: ['customerSuccess', 'Engagement score'] },
        { panel: ['customerSuccess', 'Feature adoption (30 days)'] },
        { panel: ['customerSuccess', 'Time to first value'] },
      ],
    },
    {
      item: 'Support ticket volume (healthy below 0.3 per customer a month)',
      places: [
        { panel: ['customerSuccess', 'Tickets per customer (30 days)'] },
        { alert: 'ChomSupportVolumeHigh' },
      ],
    },
    {
      item: 'Resolution time by priority (SLAs 2, 8, 24, 72 hours)',
      places: [
        { panel: ['customerSuccess', 'Mean resolution time by priority vs SLA'] },
        { alert: 'ChomSupportResolutionSlaBreached' },
        { config: 'kpi.resolutionSlaSeconds' },
      ],
    },
    {
      item: 'First response time (target below 1 hour)',
      places: [
        { panel: ['customerSuccess', 'Mean first response time by priority'] },
        { alert: 'ChomSupportFirstResponseSlow' },
      ],
      note: 'Orange above the 1-hour target; the alert fires above 4 hours (seed 004).',
    },
    {
      item: 'Total signups and signup growth rate (week over week, month over month)',
      places: [
        { panel: ['growth', 'Signups (7 days)'] },
        { panel: ['growth', 'Signup growth (week over week)'] },
        { panel: ['growth', 'Signup growth (month over month)'] },
        { rule: 'chom:users_signups_growth:ratio30d' },
      ],
      note: 'Growth needs 7 or 30 days of Prometheus history: absent before.',
    },
    {
      item: 'Activation rate, acquisition by channel, CPA by channel',
      places: [
        { panel: ['growth', 'Activation rate (7 days)'] },
        { panel: ['growth', 'Signups by channel (30 days)'] },
        { panel: ['growth', 'Cost per acquisition by channel, 30 days ($currency)'] },
      ],
    },
    {
      item: 'Marketing ROI by channel (good above 3:1)',
      places: [{ panel: ['growth', 'Marketing ROI by channel, 30 days'] }],
    },
    {
      item: 'Email campaigns: open rate (benchmark 15-25%), click-through, conversion',
      places: [
        { panel: ['growth', 'Email campaign funnel'] },
        { panel: ['growth', 'Email rates across recent campaigns'] },
        { rule: 'chom:email_campaign_open:ratio' },
        { alert: 'ChomEmailOpenRateLow' },
        { config: 'kpi.targets.emailOpenRate' },
      ],
      note: 'Open rate: alert below 15% (this benchmark), goal 25% (seed 004).',
    },
    {
      item: 'Landing page conversion (below average under 5%)',
      places: [
        { panel: ['growth', 'Landing page conversion (7 days)'] },
        { alert: 'ChomLandingPageConversionLow' },
      ],
      note: 'The alert fires below 2% (seed 004).',
    },
    {
      item: 'K-factor, referrals sent and completed, referral conversion',
      places: [
        { panel: ['growth', 'K-factor (30 days)'] },
        { panel: ['growth', 'Referral conversion (30 days)'] },
        { panel: ['growth', 'Referrals sent and completed per hour'] },
      ],
    },
    {
      item: 'Referrals per active user (target above 0.5 per MAU)',
      places: [
        { panel: ['growth', 'Referrals sent per active user (30 days)'] },
        { rule: 'chom:referrals_sent_per_active_user:ratio30d' },
        { config: 'kpi.targets.referralsPerActiveUser' },
      ],
      note: 'A goal (green from it), not an alert.',
    },
    {
      item: 'Cohort retention table (month 1 > 60%, month 3 > 40%, month 12 > 20%)',
      places: [{ panel: ['growth', 'Cohort retention (share of each signup month still active)'] }],
    },
    {
      item: 'The chom_* metric contract of the three boards',
      places: [{ doc: 'docs/metrics.md' }],
      note: 'Every metric is exported; names that break Prometheus conventions are mapped there.',
    },
  ],
};
