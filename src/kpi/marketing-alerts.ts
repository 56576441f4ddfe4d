import { type ThresholdAlert, valuePct } from './alert-rule.js';

/** The growth team's alerts on marketing return, leads, the funnel and email (seeds 000, 002, 003). */
export const marketingAlerts: readonly ThresholdAlert[] = [
  {
    alert: 'ChomMarketingEfficiencyLow',
    threshold: 'marketingEfficiency',
    expr: 'currency:chom_marketing_efficiency:ratio30d < $T',
    for: '1d',
    team: 'growth',
    dashboard: 'growth',
    summary: 'Marketing efficiency is below $T',
    description:
      'New MRR in {{ $labels.currency }} over 30 days is {{ $value | printf "%.2f" }} times the marketing spend in it (threshold $T).',
    runbook: {
      meaning:
        'A month of marketing spend brings back less new monthly revenue than the KPI framework expects (seed 003: new MRR / spend > 1.0).',
      check:
        'Growth & Marketing board: efficiency, CPA and ROI by channel; which channel spends without bringing customers?',
      action:
        'Move budget to the channels with the best efficiency; pause the ones returning nothing.',
    },
  },
  {
    alert: 'ChomLeadsLow',
    threshold: 'monthlyLeads',
    expr: 'chom:leads:sum30d < $T',
    for: '1d',
    team: 'growth',
    dashboard: 'growth',
    summary: 'Fewer than $T leads in 30 days',
    description:
      '{{ $value | printf "%.0f" }} signups from the lead channels (kpi.leadChannels) over the last 30 days (floor $T).',
    runbook: {
      meaning:
        'The content engine brings fewer leads than the floor (seed 000: leads < 20 a month). A lead is a signup from a lead channel (kpi.leadChannels, by default organic and content).',
      check: 'Signups by channel; publishing cadence; search traffic to the landing pages.',
      action:
        'Publish, refresh or promote content; check that signups are attributed to their channel.',
    },
  },
  {
    alert: 'ChomFunnelStageDrop',
    threshold: 'funnelStageDrop',
    expr: 'stage:chom_funnel_change:ratio7d < -$T and on (stage) stage:chom_funnel_previous:sum7d >= $MIN_EVENTS',
    for: '6h',
    team: 'growth',
    dashboard: 'growth',
    summary: 'A funnel stage fell by more than $T_PCT in a week',
    description: `The {{ $labels.stage }} stage changed by ${valuePct} over the last 7 days against the 7 days before (threshold -$T_PCT; stages with fewer than $MIN_EVENTS events the week before are not judged).`,
    runbook: {
      meaning:
        'Far fewer users reached this funnel stage this week than last (seed 000: a drop of more than 40% at any stage). Absent until Prometheus holds a week of history.',
      check:
        'Funnel change panel on the Growth & Marketing board: did the stages before it fall too (traffic) or only this one (a broken step)? Recent releases to signup, onboarding, trial or checkout.',
      action: 'Fix the broken step, or restore the traffic source that dried up.',
    },
  },
  {
    alert: 'ChomEmailOpenRateLow',
    threshold: 'emailOpenRate',
    expr: 'chom:email_campaign_open:ratio < $T',
    for: '1d',
    team: 'growth',
    dashboard: 'growth',
    summary: 'Email open rate is below $T_PCT',
    description: `${valuePct} of the recipients of the recent campaigns opened the email (floor $T_PCT, the B2B SaaS benchmark).`,
    runbook: {
      meaning:
        'Recent email campaigns are opened less than the B2B benchmark (seed 002: 15-25%); the goal is above 25% (seed 004).',
      check:
        'The email campaign funnel table: which campaigns open poorly? Deliverability (spam placement).',
      action:
        'A/B test subject lines and send times; segment the lists; check the sender reputation.',
    },
  },
];
