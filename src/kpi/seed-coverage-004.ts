import type { Seed } from './seed-coverage-item.js';

const noSource = (what: string) =>
  `Not covered: ${what} are in none of the sources (the reference schema, the events table, Stripe).`;

/** Seed 004: the growth tracking framework (AI chatbot platform). */
export const seed004: Seed = {
  id: '004',
  title: 'growth tracking framework',
  items: [
    {
      item: 'Month-by-month MRR targets (970, 1,700, 2,300, 3,200, 4,000, 4,900)',
      places: [
        { config: 'kpi.mrrTargets' },
        { config: 'kpi.mrrTargetDefault' },
        { panel: ['business', 'Progress to MRR target ($currency)'] },
      ],
      note: 'The default kpi.mrrTargets, month 1 taken as 2026-01 (set your own); 4,900 after. MRR floors of seed 003 (5,000) stay below this plan: the brief does not settle it, so both are kept and documented.',
    },
    {
      item: 'Tiers Starter, Professional and Business: MRR and customers per tier',
      places: [
        { panel: ['business', 'MRR by tier ($currency)'] },
        { panel: ['business', 'Customers, churn and LTV by plan ($currency)'] },
      ],
      note: 'Boards and rules use whatever tiers billing reports; the billing_mrr default tier list is starter, professional, business (this seed) and enterprise (collectors.billing_mrr.tiers.values); the demo has all four.',
    },
    {
      item: 'Plans: customers, churn rate and LTV per plan',
      places: [
        { panel: ['business', 'Customers, churn and LTV by plan ($currency)'] },
        { panel: ['business', 'Customer churn by plan, trailing 30 days ($currency)'] },
        { rule: 'tier:chom_customers:sum' },
        { rule: 'tier:chom_customer_churn:ratio30d' },
        { rule: 'tier:chom_customer_ltv:estimate' },
      ],
      note: 'From billing_mrr: chom_customers_by_tier, chom_customers_window_start and chom_customers_churned_in_window (trailing 30 days). Average usage and expansion rate per plan: not covered (no per-plan usage or movement source).',
    },
    {
      item: 'Customer types (SMB, content creators, developers)',
      places: [],
      note: noSource('customer segments'),
    },
    {
      item: 'Trial signups a week: red flag below 20, yellow below 25; 100+ a month',
      places: [
        { panel: ['growth', 'Trial signups (7 days)'] },
        { rule: 'chom:funnel_trial_started:sum7d' },
        { alert: 'ChomSignupsLow' },
      ],
      note: 'The alert counts trials started, not all signups.',
    },
    {
      item: 'Trial-to-paid conversion: red flag below 10%, yellow below 12%, target > 15%',
      places: [{ panel: ['business', 'Trial → paid (30 days)'] }, { alert: 'ChomTrialToPaidLow' }],
      note: 'Critical below 10% (this seed), warning below 25% (the brief).',
    },
    {
      item: 'Monthly churn: red flag above 8%, yellow above 6%, target < 5%',
      places: [{ alert: 'ChomChurnRateHigh' }],
      note: 'The brief wins: warning 5%, critical 7%.',
    },
    {
      item: 'CAC: red flag above $75, yellow above $60, target < $50',
      places: [{ panel: ['business', 'CAC ($currency)'] }, { alert: 'ChomCacHigh' }],
    },
    {
      item: 'Support response time: red flag above 4 hours',
      places: [
        { panel: ['customerSuccess', 'Mean first response time by priority'] },
        { alert: 'ChomSupportFirstResponseSlow' },
        { config: 'kpi.thresholds.firstResponseTime' },
      ],
      note: 'Mean first response per priority over 30 days.',
    },
    {
      item: 'Landing page conversion: yellow below 2%, target > 3%',
      places: [
        { panel: ['growth', 'Landing page conversion (7 days)'] },
        { alert: 'ChomLandingPageConversionLow' },
      ],
    },
    {
      item: 'Email open rate > 25%',
      places: [
        { panel: ['growth', 'Email rates across recent campaigns'] },
        { config: 'kpi.targets.emailOpenRate' },
        { alert: 'ChomEmailOpenRateLow' },
      ],
      note: 'Green from 25%; the alert fires below 15% (seed 002 benchmark).',
    },
    {
      item: 'Time to first value < 24 hours, onboarding completion > 80%',
      places: [
        { panel: ['customerSuccess', 'Time to first value'] },
        { panel: ['growth', 'Activation rate (7 days)'] },
      ],
      note: 'Onboarding completion is read as activation.',
    },
    {
      item: 'LTV > $200, LTV:CAC > 4:1, NRR > 100%, tickets < 0.1 per customer',
      places: [
        { panel: ['business', 'LTV ($currency)'] },
        { alert: 'ChomLtvToCacLow' },
        { alert: 'ChomNetRevenueRetentionLow' },
        { alert: 'ChomSupportVolumeHigh' },
      ],
      note: 'Targets; the alerts use the brief (LTV:CAC 3) and seed 002 (0.3 tickets).',
    },
    {
      item: 'Weekly template: new paying customers, upgrades, downgrades, churned, MRR added and lost, MRR vs target',
      places: [
        { panel: ['business', 'Customer movements this month'] },
        { panel: ['business', 'MRR movements this month ($currency)'] },
        { panel: ['business', 'Progress to MRR target ($currency)'] },
      ],
    },
    {
      item: 'Channel performance: spend, trials, CAC, conversion and ROI per channel',
      places: [
        { panel: ['growth', 'Marketing spend by channel, 30 days ($currency)'] },
        { panel: ['growth', 'Cost per acquisition by channel, 30 days ($currency)'] },
        { panel: ['growth', 'Marketing ROI by channel, 30 days'] },
      ],
      note: 'Trials per channel: not covered (the funnel gauges have no channel); signups per channel instead.',
    },
    {
      item: 'Website traffic (5,000+ a month), organic traffic %, LinkedIn ad CTR, content performance',
      places: [],
      note: noSource('web analytics, ad platform and content data'),
    },
    { item: 'Growth experiments log', places: [], note: noSource('experiments') },
    {
      item: 'Monthly review: starting, ending and net new MRR, new and churned customers, expansion',
      places: [
        { panel: ['business', 'MRR movements this month ($currency)'] },
        { panel: ['business', 'Paying customers'] },
      ],
    },
  ],
};
