import type { Seed } from './seed-coverage-item.js';

const noSource = (what: string) =>
  `Not covered: ${what} are in none of the sources (the reference schema, the events table, Stripe).`;
const product =
  "Out of scope: the product's own service level, which the product's own instrumentation (HTTP metrics, blackbox probes) measures, not its business data.";

/** Seed 000: the referral platform's metrics dashboard design. */
export const seed000: Seed = {
  id: '000',
  title: 'referral platform (metrics dashboard design)',
  items: [
    {
      item: 'North star: Monthly Successful Referrals, big number and trend',
      places: [
        { panel: ['business', 'Monthly successful referrals'] },
        { panel: ['business', 'Successful referrals, change over 30 days'] },
        { panel: ['business', 'Monthly successful referrals over time'] },
        { rule: 'chom:referrals_completed:sum30d' },
        { rule: 'chom:referrals_completed_growth:ratio30d' },
      ],
      note: 'Successful = completed (the invited person signed up), over the trailing 30 days (chom_referrals_completed_in_window, counted by the referrals collector over the true window).',
    },
    {
      item: 'MRR, big number and trend',
      places: [
        { panel: ['business', 'MRR ($currency)'] },
        { panel: ['business', 'MRR trend and 30-day forecast ($currency)'] },
      ],
    },
    {
      item: 'Total organizations, counter and growth %',
      places: [
        { panel: ['business', 'Organizations'] },
        { panel: ['business', 'Organization growth (30 days)'] },
        { panel: ['business', 'Organizations over time'] },
        { rule: 'chom:organizations:sum' },
        { rule: 'chom:organizations_growth:ratio30d' },
      ],
      note: 'Organizations not deleted (the health bands count every one); growth over 30 days, absent until Prometheus holds 30 days.',
    },
    {
      item: 'Paid conversion (free to paid %), funnel',
      places: [
        { panel: ['business', 'Funnel (30 days)'] },
        { panel: ['business', 'Trial → paid (30 days)'] },
        { alert: 'ChomTrialToPaidLow' },
      ],
    },
    {
      item: 'Monthly churn, gauge red above 5%',
      places: [
        { panel: ['business', 'Customer churn, trailing 30 days ($currency)'] },
        { alert: 'ChomChurnRateHigh' },
      ],
      note: 'Warning at 5%, critical at 7% (the brief).',
    },
    {
      item: 'Unit economics: LTV:CAC ratio indicator',
      places: [{ panel: ['business', 'LTV : CAC'] }, { alert: 'ChomLtvToCacLow' }],
      note: 'The seed targets > 6:1; the alert fires below 3 (the brief).',
    },
    {
      item: 'Growth funnel Visit → Signup → Activate → Pay; alert on a drop > 40% at any stage',
      places: [
        { panel: ['growth', 'Funnel stages (7 days)'] },
        { panel: ['growth', 'Funnel stages, change against the week before'] },
        { rule: 'stage:chom_funnel_change:ratio7d' },
        { alert: 'ChomFunnelStageDrop' },
      ],
      note: 'Each stage over 7 days against the 7 days before (visits are landing page visits); stages with fewer than kpi.minFunnelStageEvents events the week before are not judged; absent without a week of history.',
    },
    {
      item: 'Viral coefficient: new organizations from the "Powered by" badge (alert below 5%)',
      places: [{ panel: ['growth', 'K-factor (30 days)'] }],
      note: `${noSource('badge attributions')} The K-factor (completed referrals per active user) is the virality shown instead; no alert.`,
    },
    {
      item: 'Content engine: leads a month (alert below 20)',
      places: [
        { panel: ['growth', 'Leads (30 days)'] },
        { panel: ['growth', 'Leads over time (30 days)'] },
        { rule: 'chom:leads:sum30d' },
        { alert: 'ChomLeadsLow' },
        { config: 'kpi.leadChannels' },
      ],
      note: 'A lead is a signup from a lead channel (kpi.leadChannels, default organic and content).',
    },
    {
      item: 'Content engine: organic traffic',
      places: [],
      note: `${noSource('website traffic by source')} Landing page visits have no channel.`,
    },
    {
      item: 'CTV activity: % of active CTVs (clicked in 30 days), alert below 30%',
      places: [],
      note: noSource('CTVs (the referring collaborators) and their clicks'),
    },
    { item: 'Operations: API and portal uptime (alert below 99.5%)', places: [], note: product },
    { item: 'Operations: P95 API latency (alert above 500 ms)', places: [], note: product },
    {
      item: 'Operations: AI support resolution rate (alert below 75%)',
      places: [],
      note: noSource('AI resolutions of tickets'),
    },
    {
      item: 'Operations: monthly OpEx (alert above $1,500)',
      places: [],
      note: noSource('operating costs (only marketing spend is read)'),
    },
    { item: 'Operations: 5xx error rate (alert above 0.1%)', places: [], note: product },
    {
      item: 'Activation rate (target > 60%)',
      places: [
        { panel: ['business', 'Signup → activation (7 days)'] },
        { panel: ['growth', 'Activation rate (7 days)'] },
        { alert: 'ChomActivationRateLow' },
      ],
      note: "The alert fires below 50% (this seed's warning and the brief).",
    },
    {
      item: 'CTV activation, time to first referral, share rate',
      places: [],
      note: noSource('CTVs, referral links and shares'),
    },
    {
      item: 'MRR growing > 15% a month',
      places: [{ panel: ['business', 'MRR growth (30 days)'] }, { alert: 'ChomMrrGrowthLow' }],
      note: 'The alert fires below 5% (the brief); 15% is a goal.',
    },
    {
      item: 'Net revenue retention > 100%',
      places: [
        { panel: ['business', 'Net revenue retention'] },
        { alert: 'ChomNetRevenueRetentionLow' },
      ],
    },
    {
      item: 'LTV > $200, CAC < $30, LTV:CAC > 6:1',
      places: [
        { panel: ['business', 'LTV ($currency)'] },
        { panel: ['business', 'CAC ($currency)'] },
        { panel: ['business', 'LTV : CAC'] },
        { alert: 'ChomCacHigh' },
        { alert: 'ChomLtvToCacLow' },
      ],
      note: "Targets of this seed; the alerts use 004's CAC flags (60 / 75) and the brief's LTV:CAC (3); LTV has no floor of its own (LTV:CAC judges it).",
    },
    {
      item: 'Critical alerts: uptime below 99%, MRR decline above 20%',
      places: [{ alert: 'ChomMrrDeclining' }],
      note: `Uptime: ${product}`,
    },
    {
      item: 'Warning alerts: churn above 5%, activation below 50%',
      places: [{ alert: 'ChomChurnRateHigh' }, { alert: 'ChomActivationRateLow' }],
    },
    {
      item: 'Info alerts: new milestone (100 organizations, $1K MRR)',
      places: [
        { alert: 'ChomOrganizationsMilestone' },
        { alert: 'ChomMrrMilestone' },
        { alert: 'ChomCustomersMilestone' },
        { config: 'kpi.milestones' },
      ],
      note: 'Every 100 organizations, every 1,000 of MRR (reporting currency) and every 50 customers; each announced once to the business team (no resolution message).',
    },
    {
      item: 'Data sources: PostgreSQL (organizations, referrals), Stripe, custom events',
      places: [{ doc: 'docs/metrics.md' }],
      note: 'The collectors and what they read; payouts, Paddle and Cloudflare analytics are not read.',
    },
  ],
};
