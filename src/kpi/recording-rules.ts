import type { KpiConfig } from './kpi-config.js';

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  /** What the series means, for the docs and the dashboards. */
  readonly help: string;
}

/**
 * Arithmetic over exported facts, as recording rules named level:metric:operations.
 * Scraped series carry `job` and `instance`; a rule that combines an aggregate with
 * a raw gauge drops them first (`max without (instance, job)`, which also collapses
 * replicas reporting the same value), or the one-to-one match finds nothing.
 * Windows over counters ([7d], [30d]) need that much scrape history; until then
 * they cover what Prometheus has.
 */
export function recordingRules(kpi: KpiConfig): RecordingRule[] {
  const gm = kpi.grossMargin;
  return [
    {
      record: 'currency:chom_revenue_mrr:sum',
      expr: 'sum by (currency) (chom_revenue_mrr)',
      help: 'MRR per currency.',
    },
    {
      record: 'currency:chom_revenue_arr:sum',
      expr: '12 * currency:chom_revenue_mrr:sum',
      help: 'ARR = 12 x MRR, per currency.',
    },
    {
      record: 'currency:chom_revenue_mrr_growth:ratio30d',
      expr: '(currency:chom_revenue_mrr:sum - currency:chom_revenue_mrr:sum offset 30d) / (currency:chom_revenue_mrr:sum offset 30d > 0)',
      help: 'MRR growth over the last 30 days (0.05 = 5%).',
    },
    {
      record: 'currency:chom_revenue_nrr:ratio',
      expr:
        '(sum by (currency) (chom_revenue_mrr_month_start) + sum by (currency) (chom_revenue_mrr_movement{movement="expansion"})' +
        ' - sum by (currency) (chom_revenue_mrr_movement{movement=~"contraction|churn"}))' +
        ' / (sum by (currency) (chom_revenue_mrr_month_start) > 0)',
      help: 'Net revenue retention this month: (opening + expansion - contraction - churn) / opening.',
    },
    {
      record: 'currency:chom_revenue_quick_ratio:ratio',
      expr:
        'sum by (currency) (chom_revenue_mrr_movement{movement=~"new|expansion|reactivation"})' +
        ' / (sum by (currency) (chom_revenue_mrr_movement{movement=~"contraction|churn"}) > 0)',
      help: 'Quick ratio this month: (new + expansion + reactivation) / (contraction + churn).',
    },
    {
      record: 'chom:customer_churn_runrate:ratio',
      expr: 'max without (instance, job) (chom_customer_churn_ratio) * days_in_month() / day_of_month()',
      help: 'Month-to-date customer churn extrapolated to the whole month.',
    },
    {
      record: 'currency:chom_customer_ltv:estimate',
      expr: `max without (instance, job) (chom_revenue_arpa) * ${gm} / on () group_left () (chom:customer_churn_runrate:ratio > 0)`,
      help: `Customer lifetime value = ARPA x gross margin (${gm}) / monthly churn run-rate; absent at zero churn.`,
    },
    {
      record: 'chom:funnel_paid:increase30d',
      expr: 'sum(increase(chom_funnel_paid_total[30d]))',
      help: 'New paying customers (conversions to paid) over 30 days.',
    },
    {
      record: 'currency:chom_customer_acquisition_cost:ratio30d',
      expr: 'sum by (currency) (chom_marketing_spend{window="30d"}) / on () group_left () (chom:funnel_paid:increase30d > 0)',
      help: 'CAC = marketing spend over 30 days / new paying customers over 30 days.',
    },
    {
      record: 'currency:chom_ltv_to_cac:ratio',
      expr: 'currency:chom_customer_ltv:estimate / currency:chom_customer_acquisition_cost:ratio30d',
      help: 'LTV:CAC.',
    },
    {
      record: 'currency:chom_cac_payback:months',
      expr: `currency:chom_customer_acquisition_cost:ratio30d / (max without (instance, job) (chom_revenue_arpa) * ${gm} > 0)`,
      help: `CAC payback in months = CAC / (ARPA x gross margin ${gm}).`,
    },
    {
      record: 'chom:users_dau_mau:ratio',
      expr: 'max without (instance, job) (chom_users_active_daily) / (max without (instance, job) (chom_users_active_monthly) > 0)',
      help: 'DAU/MAU stickiness.',
    },
    {
      record: 'chom:funnel_activation:ratio7d',
      expr: 'sum(increase(chom_funnel_activated_total[7d])) / (sum(increase(chom_funnel_signups_total[7d])) > 0)',
      help: 'Activations / signups over 7 days.',
    },
    {
      record: 'chom:funnel_activation:ratio30d',
      expr: 'sum(increase(chom_funnel_activated_total[30d])) / (sum(increase(chom_funnel_signups_total[30d])) > 0)',
      help: 'Activations / signups over 30 days.',
    },
    {
      record: 'chom:funnel_trial_start:ratio30d',
      expr: 'sum(increase(chom_funnel_trial_started_total[30d])) / (sum(increase(chom_funnel_activated_total[30d])) > 0)',
      help: 'Trials started / activations over 30 days.',
    },
    {
      record: 'chom:funnel_trial_to_paid:ratio30d',
      expr: 'chom:funnel_paid:increase30d / (sum(increase(chom_funnel_trial_started_total[30d])) > 0)',
      help: 'Conversions to paid / trials started over 30 days.',
    },
    {
      record: 'chom:users_signups:increase7d',
      expr: 'sum(increase(chom_funnel_signups_total[7d]))',
      help: 'Signups over 7 days.',
    },
    {
      record: 'chom:users_signups_growth:ratio7d',
      expr: '(chom:users_signups:increase7d - chom:users_signups:increase7d offset 7d) / (chom:users_signups:increase7d offset 7d > 0)',
      help: 'Week-over-week signup growth.',
    },
    {
      record: 'chom:referrals_k_factor:ratio30d',
      expr: 'sum(increase(chom_referrals_completed_total[30d])) / (max without (instance, job) (chom_users_active_monthly) > 0)',
      help: 'K-factor = invitations per active user x invitation conversion = completed referrals / MAU, over 30 days.',
    },
    {
      record: 'channel:chom_cost_per_acquisition:ratio30d',
      expr:
        'sum by (channel, currency) (chom_marketing_spend{window="30d"})' +
        ' / on (channel) group_left () (sum by (channel) (increase(chom_users_signups_total[30d])) > 0)',
      help: 'Cost per acquired signup by channel over 30 days.',
    },
    {
      record: 'channel:chom_marketing_roi:ratio',
      expr: 'sum by (channel, currency) (chom_revenue_by_channel) / (sum by (channel, currency) (chom_marketing_spend{window="30d"}) > 0)',
      help: 'Monthly recurring revenue from the channel / its marketing spend over 30 days.',
    },
    {
      record: 'page:chom_landing_page_conversion:ratio7d',
      expr: 'sum by (page) (increase(chom_landing_page_conversions_total[7d])) / (sum by (page) (increase(chom_landing_page_visits_total[7d])) > 0)',
      help: 'Landing page conversions / visits over 7 days.',
    },
    {
      record: 'chom:support_tickets_per_customer:ratio30d',
      expr: 'sum(increase(chom_support_tickets_created_total[30d])) / (max without (instance, job) (chom_customers) > 0)',
      help: 'New support tickets per paying customer over 30 days.',
    },
  ];
}
