import { type ThresholdAlert, valuePct } from './alert-rule.js';
import { oneReplica } from './ids.js';

/**
 * The business team's alerts. Ratios fire per currency (the rules' output
 * keeps `currency`), with the same ratio threshold for every currency.
 */
export const businessAlerts: readonly ThresholdAlert[] = [
  {
    alert: 'ChomChurnRateHigh',
    threshold: 'churnRate',
    expr: 'currency:chom_customer_churn:ratio30d > $T',
    for: '1h',
    team: 'business',
    dashboard: 'business',
    summary: 'Customer churn over 30 days is above $T_PCT',
    description: `${valuePct} of the customers paying in {{ $labels.currency }} 30 days ago have stopped paying since (threshold $T_PCT).`,
    runbook: {
      meaning:
        'More paying customers left over the last 30 days than the target allows; churn compounds against growth.',
      check:
        'Business KPIs board, row "Customers, churn and retention": trailing 30-day churn by currency, this month\'s customer movements and the MRR movements (which tiers lost MRR).',
      action:
        'Contact the churned accounts, look for a shared cause (pricing change, outage, competitor), brief customer success.',
    },
  },
  {
    alert: 'ChomMrrGrowthLow',
    threshold: 'mrrGrowth',
    expr: 'currency:chom_revenue_mrr_growth:ratio30d < $T',
    for: '1d',
    team: 'business',
    dashboard: 'business',
    summary: 'MRR grew less than $T_PCT over 30 days',
    description: `MRR in {{ $labels.currency }} grew ${valuePct} over the last 30 days (threshold $T_PCT).`,
    runbook: {
      meaning: 'Recurring revenue is not growing at the target pace.',
      check:
        'MRR movements: is new MRR down, or are churn and contraction up? Compare with signups and trial conversion.',
      action:
        'Boost acquisition or reduce churn (seed: "MRR growth < 5%: boost acquisition or reduce churn").',
    },
  },
  {
    alert: 'ChomMrrDeclining',
    threshold: 'mrrDecline',
    expr: 'currency:chom_revenue_mrr_growth:ratio30d < -$T',
    for: '1h',
    team: 'business',
    dashboard: 'business',
    summary: 'MRR fell by more than $T_PCT over 30 days',
    description: `MRR in {{ $labels.currency }} changed by ${valuePct} over the last 30 days.`,
    runbook: {
      meaning:
        'A large share of recurring revenue disappeared; this is rarely organic. While it fires, ChomMrrGrowthLow of the same currency is inhibited.',
      check:
        'Is billing data complete (billing_mrr collector healthy, no Stripe outage)? Then the churn and contraction movements.',
      action:
        'If the data is right, escalate to leadership at once; if not, fix the data source first.',
    },
  },
  {
    alert: 'ChomMrrLow',
    threshold: 'mrr',
    money: 'mrr',
    expr: 'currency:chom_revenue_mrr:sum{currency="$CUR"} < $T',
    for: '1h',
    team: 'business',
    dashboard: 'business',
    summary: 'MRR is below $T $CUR',
    description:
      'MRR in {{ $labels.currency }} is {{ $value | printf "%.0f" }} (floor $T, seed 003 KPI framework).',
    runbook: {
      meaning:
        'Recurring revenue in this currency is under the floor the KPI framework sets (seed 003: 10,000 warning, 5,000 critical).',
      check:
        'Business KPIs board: MRR trend and movements (a sudden fall is churn or a billing data problem; a steady level is slow growth). Is billing_mrr healthy on the Exporter health board?',
      action:
        'If the data is right: the growth levers (acquisition, expansion, churn). If a floor does not fit the business stage, change kpi.thresholds.mrr.',
    },
  },
  {
    alert: 'ChomDailyActiveUsersLow',
    threshold: 'dau',
    expr: `${oneReplica('chom_users_active_daily')} < $T`,
    for: '6h',
    team: 'business',
    dashboard: 'business',
    summary: 'Fewer than $T daily active users',
    description:
      '{{ $value | printf "%.0f" }} users had a session in the last 24 hours (floor $T, seed 003).',
    runbook: {
      meaning: 'Fewer people use the product each day than the KPI framework expects.',
      check:
        'Active users over time on the Business KPIs board (a sudden drop: an outage or a tracking problem; a slow one: engagement); logins per hour.',
      action:
        'Rule out tracking and outages first; then re-engagement campaigns and onboarding of new signups.',
    },
  },
  {
    alert: 'ChomSessionDurationLow',
    threshold: 'sessionDuration',
    expr: `${oneReplica('chom_session_duration_seconds')} < $T`,
    for: '1d',
    team: 'business',
    dashboard: 'business',
    summary: 'Mean session duration is below $T s',
    description:
      'Sessions started in the last 30 days last {{ $value | humanizeDuration }} on average (floor $T s, seed 003).',
    runbook: {
      meaning: 'Users spend less time in the product per visit than the KPI framework expects.',
      check:
        'Actions per session, feature adoption and recent product changes (Customer Success board).',
      action: 'Find where sessions end early (the last actions before leaving) and fix that flow.',
    },
  },
  {
    alert: 'ChomDauMauLow',
    threshold: 'dauMau',
    expr: 'chom:users_dau_mau:ratio < $T',
    for: '1d',
    team: 'business',
    dashboard: 'business',
    summary: 'DAU/MAU is below $T_PCT',
    description: `DAU/MAU is ${valuePct} (threshold $T_PCT): low engagement frequency.`,
    runbook: {
      meaning: 'Users come back rarely; engagement is low (seed: below 10% investigate drop-off).',
      check: 'Active users trends, session duration, feature adoption.',
      action: 'Investigate drop-off; re-engagement campaigns.',
    },
  },
  {
    alert: 'ChomNetRevenueRetentionLow',
    threshold: 'nrr',
    expr: 'currency:chom_revenue_nrr:ratio < $T',
    for: '1d',
    team: 'business',
    dashboard: 'business',
    summary: 'Net revenue retention is below $T_PCT',
    description: `NRR this month is ${valuePct} in {{ $labels.currency }} (threshold $T_PCT).`,
    runbook: {
      meaning: 'Existing customers shrink: churn and contraction exceed expansion.',
      check: 'MRR movements: contraction and churn against expansion.',
      action: 'Expansion plays with healthy accounts; save plays with at-risk ones.',
    },
  },
];
