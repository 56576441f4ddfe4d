import { oneReplica, sumBy, total, valueBy } from '../kpi/ids.js';

/** The selected currency: money panels show one currency at a time. */
const C = 'currency="$currency"';

const mrr = `currency:chom_revenue_mrr:sum{${C}}`;
const mrrAtMonthStart = sumBy('currency', `chom_revenue_mrr_month_start{${C}}`);
/** This month's MRR target in the selected currency (absent when that currency has none). */
const mrrTarget = valueBy('currency', `chom_kpi_target{kpi="mrr", ${C}}`);
const funnel = (stage: string) => total(`chom_funnel_${stage}_in_window{window="30d"}`);
const spend = (window: string, by: string) =>
  sumBy(by, `chom_marketing_spend{window="${window}", ${C}}`);
const monthToDateChurn = valueBy('', 'chom_customer_churn_ratio');
/** Funnel events per hour, from the stage's counter; replicas collapsed before the sum. */
const funnelPerHour = (stage: string) =>
  `sum(${oneReplica(`rate(chom_funnel_${stage}_total[$__rate_interval])`)}) * 3600`;

/**
 * The PromQL of the Business KPI board, by what each query shows; the layout
 * is business-kpi.ts. Raw gauges collapse replicas (src/kpi/ids.ts), derived
 * KPIs come from the recording rules.
 */
export const businessKpiQueries = {
  currencyValues: 'label_values(chom_revenue_mrr, currency)',
  tierValues: `label_values(chom_revenue_mrr{${C}}, tier)`,
  mrr,
  mrrTarget,
  mrrGrowth30d: `currency:chom_revenue_mrr_growth:ratio30d{${C}}`,
  mrrGrowthThisMonth: `(${mrr} - ${mrrAtMonthStart}) / (${mrrAtMonthStart} > 0)`,
  progressToTarget: `${mrr} / on (currency) ${mrrTarget}`,
  arr: `currency:chom_revenue_arr:sum{${C}}`,
  arpa: valueBy('currency', `chom_revenue_arpa{${C}}`),
  mrrForecast: `currency:chom_revenue_mrr:predict_linear30d{${C}}`,
  /** The forecast made 30 days earlier, so each point is drawn at the date it forecast. */
  mrrForecastMadeMonthAgo: `currency:chom_revenue_mrr:predict_linear30d{${C}} offset 30d`,
  mrrByTier: sumBy('tier, currency', `chom_revenue_mrr{${C}, tier=~"$tier"}`),
  mrrMovements: sumBy('movement, currency', `chom_revenue_mrr_movement{${C}}`),
  nrr: `currency:chom_revenue_nrr:ratio{${C}}`,
  quickRatio: `currency:chom_revenue_quick_ratio:ratio{${C}}`,
  revenueChurn: valueBy('kind, currency', `chom_revenue_churn_ratio{${C}}`),
  customers: valueBy('', 'chom_customers'),
  customersAtMonthStart: valueBy('', 'chom_customers_month_start'),
  customerChurnThisMonth: monthToDateChurn,
  customerRetentionThisMonth: `1 - ${monthToDateChurn}`,
  customerChurn30d: `currency:chom_customer_churn:ratio30d{${C}}`,
  customerMovements: sumBy('movement', 'chom_customer_movements'),
  cac: `currency:chom_customer_acquisition_cost:ratio30d{${C}}`,
  ltv: `currency:chom_customer_ltv:estimate{${C}}`,
  ltvToCac: `currency:chom_ltv_to_cac:ratio{${C}}`,
  cacPayback: `currency:chom_cac_payback:months{${C}}`,
  dau: valueBy('', 'chom_users_active_daily'),
  wau: valueBy('', 'chom_users_active_weekly'),
  mau: valueBy('', 'chom_users_active_monthly'),
  dauMau: 'chom:users_dau_mau:ratio',
  funnelSignups: funnel('signups'),
  funnelActivated: funnel('activated'),
  funnelTrialStarted: funnel('trial_started'),
  funnelPaid: funnel('paid'),
  signupsPerHour: funnelPerHour('signups'),
  activationsPerHour: funnelPerHour('activated'),
  trialsPerHour: funnelPerHour('trial_started'),
  conversionsToPaidPerHour: funnelPerHour('paid'),
  activation7d: 'chom:funnel_activation:ratio7d',
  trialStart30d: 'chom:funnel_trial_start:ratio30d',
  trialToPaid30d: 'chom:funnel_trial_to_paid:ratio30d',
  spend30bd: spend('30bd', 'currency'),
  spend7bd: spend('7bd', 'currency'),
  spendByChannel30bd: spend('30bd', 'channel, currency'),
  spendByChannel7bd: spend('7bd', 'channel, currency'),
  marketingEfficiency: `currency:chom_marketing_efficiency:ratio30d{${C}}`,
  // Seed 000's executive view: the north star and the organizations.
  monthlySuccessfulReferrals: 'chom:referrals_completed:sum30d',
  monthlySuccessfulReferralsChange: 'chom:referrals_completed_growth:ratio30d',
  organizations: 'chom:organizations:sum',
  organizationsGrowth30d: 'chom:organizations_growth:ratio30d',
  // Seed 003's engagement KPIs.
  arpu: `currency:chom_revenue_arpu:ratio{${C}}`,
  activeUsersGrowth30d: 'chom:users_active_monthly_growth:ratio30d',
  sessionDuration: valueBy('', 'chom_session_duration_seconds'),
  dauMauTarget: valueBy('', 'chom_kpi_target_ratio{kpi="dau_mau"}'),
  // Seed 004's plans, whatever the tiers are called.
  planCustomers: `tier:chom_customers:sum{${C}, tier=~"$tier"}`,
  planMrr: `tier:chom_revenue_mrr:sum{${C}, tier=~"$tier"}`,
  planArpa: `tier:chom_revenue_arpa:ratio{${C}, tier=~"$tier"}`,
  planChurn30d: `tier:chom_customer_churn:ratio30d{${C}, tier=~"$tier"}`,
  planLtv: `tier:chom_customer_ltv:estimate{${C}, tier=~"$tier"}`,
};
