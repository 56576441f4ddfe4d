import { sumBy } from './ids.js';
import type { KpiConfig } from './kpi-config.js';
import { fromFirstScrape, type RecordingRule } from './recording-rule.js';

const customers = 'tier:chom_customers:sum';
const mrr = 'tier:chom_revenue_mrr:sum';
const arpa = 'tier:chom_revenue_arpa:ratio';
const churn = 'tier:chom_customer_churn:ratio30d';
const byTier = (metric: string) => sumBy('tier, currency', metric);
const trailing30d =
  'trailing 30 days, computed by the billing source (tier and currency at the start of the window)';

/**
 * Customers, churn and lifetime value per plan (seed 004, "by Plan Type"),
 * per currency: whatever the billing_mrr collector's tier list is (its `tier`
 * label), nothing here names a tier.
 */
export function planRules(kpi: KpiConfig): RecordingRule[] {
  const gm = kpi.grossMargin;
  return [
    {
      record: customers,
      expr: byTier('chom_customers_by_tier'),
      help: 'Paying customers with MRR on the tier, by the currency they pay in (a customer with items on two tiers counts on both, as its MRR splits between them).',
      window: 'now',
      beforeHistory: fromFirstScrape,
    },
    {
      record: mrr,
      expr: byTier('chom_revenue_mrr'),
      help: 'MRR by tier and currency, one replica.',
      window: 'now',
      beforeHistory: fromFirstScrape,
    },
    {
      record: arpa,
      expr: `${mrr} / (${customers} > 0)`,
      help: "Average MRR per customer on the tier = the tier's MRR / its customers, per currency.",
      window: 'now',
      beforeHistory: fromFirstScrape,
    },
    {
      record: churn,
      expr: `${byTier('chom_customers_churned_in_window{window="30d"}')} / (${byTier('chom_customers_window_start{window="30d"}')} > 0)`,
      help: 'Customer churn of the tier over the trailing 30 days = customers paying on the tier 30 days ago who pay nothing now / customers paying on it 30 days ago (a move to another tier is not churn); absent when nobody was on the tier.',
      window: trailing30d,
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'tier:chom_customer_ltv:estimate',
      expr: `${arpa} * ${gm} / (${churn} > 0)`,
      help: `Lifetime value of a customer on the tier = its ARPA x gross margin (${gm}) / its churn over the trailing 30 days; absent at zero churn.`,
      window: 'ARPA now; churn over the trailing 30 days',
      beforeHistory: fromFirstScrape,
    },
  ];
}
