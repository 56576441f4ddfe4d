import type { KpiConfig } from '../kpi/kpi-config.js';

/** The selected currency: money panels show one currency at a time. */
const C = 'currency="$currency"';

const mrr = `currency:chom_revenue_mrr:sum{${C}}`;
const mrrAtMonthStart = `sum by (currency) (chom_revenue_mrr_month_start{${C}})`;
const funnel = (stage: string) => `sum(increase(chom_funnel_${stage}_total[$__range]))`;
const spend = (window: string, by: string) =>
  `sum by (${by}) (chom_marketing_spend{window="${window}", ${C}})`;

/** The PromQL of the Business KPI board, by what each query shows; the layout is business-kpi.ts. */
export function businessKpiQueries(kpi: KpiConfig) {
  return {
    currencyValues: 'label_values(chom_revenue_mrr, currency)',
    tierValues: `label_values(chom_revenue_mrr{${C}}, tier)`,
    mrr,
    mrrGrowth30d: `currency:chom_revenue_mrr_growth:ratio30d{${C}}`,
    mrrGrowthThisMonth: `(${mrr} - ${mrrAtMonthStart}) / (${mrrAtMonthStart} > 0)`,
    progressToTarget: `currency:chom_revenue_mrr:sum{currency="${kpi.reportingCurrency}"} / on (currency) max by (currency) (chom_kpi_target{kpi="mrr"})`,
    arr: `currency:chom_revenue_arr:sum{${C}}`,
    arpa: `chom_revenue_arpa{${C}}`,
    mrrForecast: `predict_linear(${mrr}[7d], 30 * 86400)`,
    mrrTarget: 'max by (currency) (chom_kpi_target{kpi="mrr", currency=~"$currency"})',
    mrrByTier: `sum by (tier, currency) (chom_revenue_mrr{${C}, tier=~"$tier"})`,
    mrrMovements: `sum by (movement, currency) (chom_revenue_mrr_movement{${C}})`,
    nrr: `currency:chom_revenue_nrr:ratio{${C}}`,
    quickRatio: `currency:chom_revenue_quick_ratio:ratio{${C}}`,
    revenueChurn: `chom_revenue_churn_ratio{${C}}`,
    customers: 'chom_customers',
    customersAtMonthStart: 'chom_customers_month_start',
    customerChurn: 'chom_customer_churn_ratio',
    customerRetention: '1 - chom_customer_churn_ratio',
    churnRunRate: 'chom:customer_churn_runrate:ratio',
    customerMovements: 'sum by (movement) (chom_customer_movements)',
    cac: `currency:chom_customer_acquisition_cost:ratio30d{${C}}`,
    ltv: `currency:chom_customer_ltv:estimate{${C}}`,
    ltvToCac: `currency:chom_ltv_to_cac:ratio{${C}}`,
    cacPayback: `currency:chom_cac_payback:months{${C}}`,
    dau: 'chom_users_active_daily',
    wau: 'chom_users_active_weekly',
    mau: 'chom_users_active_monthly',
    dauMau: 'chom:users_dau_mau:ratio',
    funnelSignups: funnel('signups'),
    funnelActivated: funnel('activated'),
    funnelTrialStarted: funnel('trial_started'),
    funnelPaid: funnel('paid'),
    activation7d: 'chom:funnel_activation:ratio7d',
    trialStart30d: 'chom:funnel_trial_start:ratio30d',
    trialToPaid30d: 'chom:funnel_trial_to_paid:ratio30d',
    spend30bd: spend('30bd', 'currency'),
    spend7bd: spend('7bd', 'currency'),
    spendByChannel30bd: spend('30bd', 'channel, currency'),
    spendByChannel7bd: spend('7bd', 'channel, currency'),
  };
}
