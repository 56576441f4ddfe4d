import type { MetricSpec } from '../metrics/spec.js';

const money = 'in major units of the currency label';
const monthToDate = 'in the current calendar month (UTC) so far';

/** The metrics of the billing collector. */
export const billingMetrics: MetricSpec[] = [
  {
    name: 'chom_revenue_mrr',
    help: `Monthly recurring revenue by tier, ${money}. Active and past_due (within grace) subscriptions, licensed items, after discounts, normalised to a month.`,
    type: 'gauge',
    labelNames: ['tier', 'currency'],
    unit: 'currency',
    seedName: 'chom_revenue_mrr{tier}',
    seedMapping: 'currency label added: amounts in different currencies are never summed',
  },
  {
    name: 'chom_revenue_mrr_committed',
    help: `MRR without subscriptions whose cancellation is scheduled, ${money}.`,
    type: 'gauge',
    labelNames: ['currency'],
    unit: 'currency',
  },
  {
    name: 'chom_revenue_mrr_month_start',
    help: `MRR at the start of the current calendar month (UTC), ${money}.`,
    type: 'gauge',
    labelNames: ['currency'],
    unit: 'currency',
  },
  {
    name: 'chom_revenue_mrr_movement',
    help: `MRR moved ${monthToDate} by kind (new, expansion, contraction, churn, reactivation; losses positive), ${money}. Start + new + reactivation + expansion - contraction - churn = current MRR.`,
    type: 'gauge',
    labelNames: ['movement', 'currency'],
    unit: 'currency',
  },
  {
    name: 'chom_revenue_arpa',
    help: `Average MRR per paying account, ${money}.`,
    type: 'gauge',
    labelNames: ['currency'],
    unit: 'currency',
  },
  {
    name: 'chom_revenue_by_channel',
    help: `MRR by the customer's acquisition channel, ${money}.`,
    type: 'gauge',
    labelNames: ['channel', 'currency'],
    unit: 'currency',
    seedName: 'chom_revenue_by_channel{channel}',
    seedMapping: 'currency label added',
  },
  {
    name: 'chom_revenue_churn_ratio',
    help: `Revenue churn ${monthToDate}: gross = (churn + contraction) / opening MRR; net = (churn + contraction - expansion - reactivation) / opening MRR (negative is net expansion).`,
    type: 'gauge',
    labelNames: ['kind', 'currency'],
    unit: 'ratio',
  },
  {
    name: 'chom_customers',
    help: 'Paying customers (MRR above zero).',
    type: 'gauge',
    labelNames: [],
    unit: 'count',
    seedName: 'chom_customers_total',
    seedMapping: 'a gauge must not end in _total',
  },
  {
    name: 'chom_customers_month_start',
    help: 'Paying customers at the start of the current calendar month (UTC).',
    type: 'gauge',
    labelNames: [],
    unit: 'count',
  },
  {
    name: 'chom_customer_movements',
    help: `Customers ${monthToDate} by movement: new, reactivation, churn, expansion, contraction.`,
    type: 'gauge',
    labelNames: ['movement'],
    unit: 'count',
    seedName: 'chom_customers_new_total, chom_customers_churned_total',
    seedMapping:
      'month-to-date gauges, one series per movement: new is {movement="new"}, churned is {movement="churn"}',
  },
  {
    name: 'chom_customer_churn_ratio',
    help: `Customers churned ${monthToDate} / paying customers at the start of the month (0-1); absent when nobody was paying.`,
    type: 'gauge',
    labelNames: [],
    unit: 'ratio',
    seedName: 'chom_churn_rate_monthly',
    seedMapping: 'ratio 0-1 named with _ratio, not a percentage',
  },
  {
    name: 'chom_subscriptions',
    help: 'Subscriptions by status (every status the provider knows).',
    type: 'gauge',
    labelNames: ['status'],
    unit: 'count',
  },
  {
    name: 'chom_billing_month_opening_reconstructed',
    help: "Whether this month's opening MRR was reconstructed from subscription timestamps (1), because none was recorded at the month's start or the billing source or policy changed since, rather than recorded (0); movements may then miss plan changes made before the exporter first ran this month.",
    type: 'gauge',
    labelNames: [],
    unit: 'info',
  },
];
