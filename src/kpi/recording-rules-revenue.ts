import { sumBy, valueBy } from './ids.js';
import type { KpiConfig } from './kpi-config.js';
import { fromFirstScrape, type RecordingRule } from './recording-rule.js';

const mrr = 'currency:chom_revenue_mrr:sum';
/**
 * MRR some time ago, from the raw gauges rather than from the recorded series:
 * history recorded by an earlier version of these rules (or with replicas
 * added up) never enters a growth figure.
 */
const mrrAgo = (offset: string) => sumBy('currency', `chom_revenue_mrr offset ${offset}`);
const mrr30dAgo = mrrAgo('30d');
const movements = (kinds: string) =>
  sumBy('currency', `chom_revenue_mrr_movement{movement=~"${kinds}"}`);
const openingMrr = sumBy('currency', 'chom_revenue_mrr_month_start');
const arpa = valueBy('currency', 'chom_revenue_arpa');
const thisMonth = 'this calendar month (UTC) so far, from the month opening the exporter records';

/** MRR, its growth and forecast, retention, churn and lifetime value: per currency. */
export function revenueRules(kpi: KpiConfig): RecordingRule[] {
  const gm = kpi.grossMargin;
  const maxLifetime = kpi.maxCustomerLifetimeMonths;
  return [
    {
      record: mrr,
      expr: sumBy('currency', 'chom_revenue_mrr'),
      help: 'MRR per currency: the sum over tiers of one replica.',
      window: 'now',
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'currency:chom_revenue_arr:sum',
      expr: `12 * ${mrr}`,
      help: 'ARR = 12 x MRR, per currency.',
      window: 'now',
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'currency:chom_revenue_mrr_growth:ratio30d',
      expr: `(${mrr} - ${mrr30dAgo}) / (${mrr30dAgo} > 0)`,
      help: 'MRR growth over 30 days = (MRR now - MRR 30 days ago) / MRR 30 days ago (0.05 = 5%).',
      window: 'now against the raw MRR samples of exactly 30 days ago (`offset 30d`)',
      beforeHistory:
        'nothing until Prometheus holds MRR samples from 30 days ago; after a gap, nothing for the 30 days that look back into it',
    },
    {
      record: 'currency:chom_revenue_mrr:predict_linear30d',
      expr: `predict_linear(${sumBy('currency', 'chom_revenue_mrr')}[7d:1h], 30 * 86400) and on (currency) ${mrrAgo('7d')}`,
      help: 'MRR expected 30 days from now if the trend of the last 7 days (hourly points) continues (predict_linear).',
      window: 'a linear fit over the last 7 days, extrapolated 30 days ahead',
      beforeHistory: 'nothing until Prometheus holds MRR samples from 7 days ago',
    },
    {
      record: 'currency:chom_revenue_nrr:ratio',
      expr: `(${openingMrr} + ${movements('expansion')} - ${movements('contraction|churn')}) / (${openingMrr} > 0)`,
      help: 'Net revenue retention this month = (opening MRR + expansion - contraction - churn) / opening MRR.',
      window: thisMonth,
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'currency:chom_revenue_quick_ratio:ratio',
      expr: `${movements('new|expansion|reactivation')} / (${movements('contraction|churn')} > 0)`,
      help: 'Quick ratio this month = (new + expansion + reactivation) / (contraction + churn); absent when no MRR was lost.',
      window: thisMonth,
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'currency:chom_customer_churn:ratio30d',
      expr: valueBy('currency', 'chom_customer_churn_window_ratio{window="30d"}'),
      help: 'Customer churn over the trailing 30 days = customers paying 30 days ago and not now / customers paying 30 days ago (ChartMogul standard), per currency; absent when nobody paid 30 days ago.',
      window: 'trailing 30 days, computed by the billing source',
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'chom:customer_churn_runrate:ratio',
      expr: 'currency:chom_customer_churn:ratio30d',
      help: 'Deprecated alias of currency:chom_customer_churn:ratio30d (it was month-to-date churn x days in month / day of month).',
      window: 'trailing 30 days, computed by the billing source',
      beforeHistory: fromFirstScrape,
      deprecated: 'currency:chom_customer_churn:ratio30d',
    },
    {
      record: 'currency:chom_customer_ltv:estimate',
      expr: `${arpa} * ${gm} / (currency:chom_customer_churn:ratio30d > 0)`,
      help: `Customer lifetime value = ARPA x gross margin (${gm}) / customer churn over the trailing 30 days; absent at zero churn (an unbounded lifetime is not a value).`,
      window:
        'ARPA now; churn over the trailing 30 days (the same on any day of the month for the same churn)',
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'currency:chom_customer_lifetime_capped:months',
      expr: `clamp_max(1 / currency:chom_customer_churn:ratio30d, ${maxLifetime})`,
      help: `Expected customer lifetime in months = 1 / trailing 30-day churn, at most kpi.maxCustomerLifetimeMonths (${maxLifetime}); at zero churn the maximum.`,
      window: 'trailing 30 days, computed by the billing source',
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'currency:chom_customer_ltv_capped:estimate',
      expr: `${arpa} * ${gm} * currency:chom_customer_lifetime_capped:months`,
      help: `Customer lifetime value with the lifetime capped = ARPA x gross margin (${gm}) x min(1 / churn, ${maxLifetime} months); defined at zero churn.`,
      window: 'ARPA now; churn over the trailing 30 days',
      beforeHistory: fromFirstScrape,
    },
  ];
}
