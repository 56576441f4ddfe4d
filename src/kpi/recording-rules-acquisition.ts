import { sumBy, valueBy } from './ids.js';
import type { KpiConfig } from './kpi-config.js';
import { fromFirstScrape, type RecordingRule } from './recording-rule.js';

const spend = 'channel:chom_marketing_spend:sum30d';
const newMrr = 'channel:chom_revenue_new_mrr:sum30d';
const cac = 'currency:chom_customer_acquisition_cost:ratio30d';
const arpa = valueBy('currency', 'chom_revenue_arpa');
const window30d =
  'trailing 30 calendar days on both sides, computed by the source (spend by spend date; customers by their first paying day)';
/**
 * A channel's new MRR, or 0 where it had spend but the source lists no new
 * customers for it; nothing at all while the source exports no new MRR (an
 * exporter without that gauge must not show every channel as returning 0).
 */
const newMrrOrNone = `(${newMrr} or ${spend} * 0 and on () count(${newMrr}))`;

/**
 * What acquisition costs and returns, per currency: money in one currency is
 * only ever divided by counts that belong to it (customers paying in it),
 * never by counts of another currency or of none.
 */
export function acquisitionRules(kpi: KpiConfig): RecordingRule[] {
  const gm = kpi.grossMargin;
  return [
    {
      record: spend,
      expr: sumBy('channel, currency', 'chom_marketing_spend{window="30d"}'),
      help: 'Marketing spend by channel over the trailing 30 calendar days, per currency.',
      window: 'trailing 30 calendar days, computed by the source',
      beforeHistory: fromFirstScrape,
    },
    {
      record: newMrr,
      expr: sumBy('channel, currency', 'chom_revenue_new_mrr_in_window{window="30d"}'),
      help: 'MRR now of the customers whose first paying day fell in the trailing 30 days, by acquisition channel and the currency they pay in.',
      window: window30d,
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'currency:chom_customers_acquired:sum30d',
      expr: sumBy('currency', 'chom_customers_acquired_in_window{window="30d"}'),
      help: 'Customers whose first paying day fell in the trailing 30 days, by the currency they pay in.',
      window: window30d,
      beforeHistory: fromFirstScrape,
    },
    {
      record: cac,
      expr: `sum by (currency) (${spend}) / (currency:chom_customers_acquired:sum30d > 0)`,
      help: 'CAC = marketing spend in a currency over 30 days / customers acquired over 30 days who pay in that currency; absent without such customers.',
      window: window30d,
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'currency:chom_ltv_to_cac:ratio',
      expr: `currency:chom_customer_ltv:estimate / (${cac} > 0)`,
      help: 'LTV:CAC, per currency; absent while CAC is 0 (no spend) or LTV is (no churn).',
      window: 'LTV: churn over the trailing 30 days; CAC: trailing 30 days',
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'currency:chom_cac_payback:months',
      expr: `${cac} / (${arpa} * ${gm} > 0)`,
      help: `CAC payback in months = CAC / (ARPA x gross margin ${gm}).`,
      window: 'CAC over the trailing 30 days; ARPA now',
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'channel:chom_cost_per_acquisition:ratio30d',
      expr:
        `(${spend} unless on (channel) (count by (channel) (${spend}) > 1))` +
        ` / on (channel) group_left () (${sumBy('channel', 'chom_users_signups_in_window{window="30d"}')} > 0)`,
      help: "Cost per acquisition by channel = the channel's spend over 30 days / its signups over 30 days; absent for a channel with spend in several currencies (its signups have no currency to split them by).",
      window: 'trailing 30 calendar days on both sides, computed by the source',
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'channel:chom_marketing_efficiency:ratio30d',
      expr: `${newMrrOrNone} / on (channel, currency) (${spend} > 0)`,
      help: 'Marketing efficiency by channel = new MRR of the customers the channel acquired in 30 days / its spend over 30 days (seed: > 1 is efficient).',
      window: window30d,
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'currency:chom_marketing_efficiency:ratio30d',
      expr: `(sum by (currency) (${newMrr}) or sum by (currency) (${spend}) * 0 and on () count(${newMrr})) / (sum by (currency) (${spend}) > 0)`,
      help: 'Marketing efficiency of all channels together (seed 003) = new MRR of the customers acquired in 30 days / marketing spend over 30 days, per currency; 0 where spend brought no customer, absent while the source exports no new MRR at all.',
      window: window30d,
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'channel:chom_marketing_roi:ratio',
      expr:
        `(${newMrrOrNone} * ${gm} * on (currency) group_left () currency:chom_customer_lifetime_capped:months - ${spend})` +
        ` / (${spend} > 0)`,
      help: `Marketing ROI by channel = (expected lifetime value of the customers the channel acquired in 30 days - its spend) / its spend; lifetime value = their MRR x gross margin (${gm}) x the capped lifetime (kpi.maxCustomerLifetimeMonths). -1: nothing came back.`,
      window: `${window30d}; lifetime from churn over the trailing 30 days`,
      beforeHistory: fromFirstScrape,
    },
  ];
}
