import { type ThresholdAlert, valuePct } from './alert-rule.js';

/** The growth team's alerts: acquisition cost and return, funnel, signups, landing pages. */
export const growthAlerts: readonly ThresholdAlert[] = [
  {
    alert: 'ChomLtvToCacLow',
    threshold: 'ltvToCac',
    expr: 'currency:chom_ltv_to_cac:ratio < $T',
    for: '1d',
    team: 'growth',
    dashboard: 'business',
    summary: 'LTV:CAC is below $T',
    description:
      'LTV:CAC in {{ $labels.currency }} is {{ $value | printf "%.2f" }} (threshold $T).',
    runbook: {
      meaning:
        'Each new customer returns less than the target multiple of what it cost to acquire.',
      check:
        'Business KPIs board (the dashboard link), row "Customer economics": LTV, CAC and payback in the alert\'s currency, and trailing 30-day churn (it drives LTV). Then CPA, efficiency and ROI by channel on the Growth & Marketing board.',
      action: 'Cut the most expensive channels or improve retention and pricing.',
    },
  },
  {
    alert: 'ChomTrialToPaidLow',
    threshold: 'trialToPaid',
    expr: 'chom:funnel_trial_to_paid:ratio30d < $T',
    for: '1d',
    team: 'growth',
    dashboard: 'business',
    summary: 'Trial-to-paid conversion is below $T_PCT',
    description: `Over 30 days ${valuePct} of trials converted to paid (threshold $T_PCT).`,
    runbook: {
      meaning: 'Trials are not turning into paying customers.',
      check: 'Funnel panel; activation rate and time to first value (slow value kills trials).',
      action: 'Improve onboarding and in-trial engagement; review the upgrade flow.',
    },
  },
  {
    alert: 'ChomActivationRateLow',
    threshold: 'activationRate',
    expr: 'chom:funnel_activation:ratio7d < $T',
    for: '1d',
    team: 'growth',
    dashboard: 'growth',
    summary: 'Signup-to-activation is below $T_PCT',
    description: `Over 7 days ${valuePct} of signups activated (threshold $T_PCT).`,
    runbook: {
      meaning: 'New users do not reach the activation milestone.',
      check:
        'Signups by channel (a new low-quality channel?), onboarding changes, time to first value.',
      action: 'Simplify onboarding; add guidance to the first session.',
    },
  },
  {
    alert: 'ChomCacHigh',
    threshold: 'cac',
    money: 'cac',
    expr: 'currency:chom_customer_acquisition_cost:ratio30d{currency="$CUR"} > $T',
    for: '1d',
    team: 'growth',
    dashboard: 'growth',
    summary: 'CAC is above $T $CUR',
    description:
      'Blended CAC over 30 days is {{ $value | printf "%.2f" }} {{ $labels.currency }} (threshold $T).',
    runbook: {
      meaning: 'Acquiring a customer costs more than the ceiling set for that currency.',
      check: 'Spend, CPA, efficiency and ROI by channel on the Growth & Marketing board.',
      action: 'Shift budget from high-CPA to low-CPA channels.',
    },
  },
  {
    alert: 'ChomSignupsLow',
    threshold: 'weeklySignups',
    expr: 'chom:funnel_trial_started:sum7d < $T',
    for: '6h',
    team: 'growth',
    dashboard: 'growth',
    summary: 'Fewer than $T trial signups in 7 days',
    description: '{{ $value | printf "%.0f" }} trials started over the last 7 days (floor $T).',
    runbook: {
      meaning:
        'Fewer new trials than the floor (seed 004 "weekly trial signups"): the pipeline of future customers is thinning. It counts trials started, not all signups.',
      check:
        'Trial signups and signups by channel; activation (trials follow it); landing page conversion; was a campaign paused?',
      action:
        'Restart or add acquisition campaigns; look at what stops activated users from starting a trial.',
    },
  },
  {
    alert: 'ChomLandingPageConversionLow',
    threshold: 'landingPageConversion',
    expr: 'page:chom_landing_page_conversion:ratio7d < $T and on (page) page:chom_landing_page_visits:sum7d >= $MIN_VISITS',
    for: '1d',
    team: 'growth',
    dashboard: 'growth',
    summary: 'Landing page {{ $labels.page }} converts below $T_PCT',
    description: `Page {{ $labels.page }} converted ${valuePct} of its visits over 7 days (threshold $T_PCT; pages with fewer than $MIN_VISITS visits are not judged).`,
    runbook: {
      meaning: 'A landing page with enough traffic converts visitors worse than the floor.',
      check: 'Recent changes to the page; traffic mix by channel.',
      action: 'Revert or A/B test the page.',
    },
  },
];
