import { type DashboardKey, exporterJob } from './ids.js';
import type { KpiConfig, KpiThresholdName } from './kpi-config.js';

export type Severity = 'critical' | 'warning' | 'info';
export type Team = 'business' | 'customer-success' | 'growth' | 'sre';

/** What on-call reads: the runbook section generated for each alert. */
export interface Runbook {
  readonly meaning: string;
  readonly check: string;
  readonly action: string;
}

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: Severity;
  readonly team: Team;
  readonly summary: string;
  readonly description: string;
  readonly dashboard?: DashboardKey;
  readonly runbook: Runbook;
}

interface ThresholdAlert {
  readonly alert: string;
  readonly threshold: KpiThresholdName;
  /** The value, with `$T` where the threshold goes and a comparison that is true when breached. */
  readonly expr: string;
  readonly for: string;
  readonly team: Team;
  readonly dashboard: DashboardKey;
  readonly summary: string;
  readonly description: string;
  readonly runbook: Runbook;
}

const pct = '{{ $value | humanizePercentage }}';

/** Business alerts: one rule per severity whose threshold is set in the KPI config. */
const thresholdAlerts: readonly ThresholdAlert[] = [
  {
    alert: 'ChomChurnRateHigh',
    threshold: 'churnRate',
    expr: 'chom_customer_churn_ratio > $T',
    for: '1h',
    team: 'business',
    dashboard: 'business',
    summary: 'Customer churn this month is above $T_PCT',
    description: `${pct} of the customers paying at the start of the month have churned so far (threshold $T_PCT).`,
    runbook: {
      meaning:
        'More paying customers left this month than the target allows; churn compounds against growth.',
      check:
        'Business KPI board, churn panels; chom_customer_movements{movement="churn"} and the MRR movements; which tiers lost MRR.',
      action:
        'Contact the churned accounts, look for a shared cause (pricing change, outage, competitor), brief customer success.',
    },
  },
  {
    alert: 'ChomMrrGrowthLow',
    threshold: 'mrrGrowth',
    expr: 'currency:chom_revenue_mrr_growth:ratio30d{currency="$CUR"} < $T',
    for: '1d',
    team: 'business',
    dashboard: 'business',
    summary: 'MRR grew less than $T_PCT over 30 days',
    description: `MRR in {{ $labels.currency }} grew ${pct} over the last 30 days (threshold $T_PCT).`,
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
    expr: 'currency:chom_revenue_mrr_growth:ratio30d{currency="$CUR"} < -$T',
    for: '1h',
    team: 'business',
    dashboard: 'business',
    summary: 'MRR fell by more than $T_PCT over 30 days',
    description: `MRR in {{ $labels.currency }} changed by ${pct} over the last 30 days.`,
    runbook: {
      meaning: 'A large share of recurring revenue disappeared; this is rarely organic.',
      check:
        'Is billing data complete (billing_mrr collector healthy, no Stripe outage)? Then the churn and contraction movements.',
      action:
        'If the data is right, escalate to leadership at once; if not, fix the data source first.',
    },
  },
  {
    alert: 'ChomLtvToCacLow',
    threshold: 'ltvToCac',
    expr: 'currency:chom_ltv_to_cac:ratio{currency="$CUR"} < $T',
    for: '1d',
    team: 'growth',
    dashboard: 'business',
    summary: 'LTV:CAC is below $T',
    description: 'LTV:CAC is {{ $value | printf "%.2f" }} (threshold $T).',
    runbook: {
      meaning:
        'Each new customer returns less than the target multiple of what it cost to acquire.',
      check: 'CAC by channel and ARPA on the Growth board; churn run-rate (it drives LTV).',
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
    description: `Over 30 days ${pct} of trials converted to paid (threshold $T_PCT).`,
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
    description: `Over 7 days ${pct} of signups activated (threshold $T_PCT).`,
    runbook: {
      meaning: 'New users do not reach the activation milestone.',
      check:
        'Signups by channel (a new low-quality channel?), onboarding changes, time to first value.',
      action: 'Simplify onboarding; add guidance to the first session.',
    },
  },
  {
    alert: 'ChomNpsLow',
    threshold: 'nps',
    expr: 'chom_nps_score < $T',
    for: '1d',
    team: 'customer-success',
    dashboard: 'customerSuccess',
    summary: 'NPS is below $T',
    description: 'NPS over the survey window is {{ $value | printf "%.1f" }} (threshold $T).',
    runbook: {
      meaning:
        'Customers are less willing to recommend the product (seed: NPS < 30 means significant issues).',
      check: 'NPS breakdown by category; recent detractor comments in nps_responses.',
      action: 'Follow up with detractors; share themes with product.',
    },
  },
  {
    alert: 'ChomCsatLow',
    threshold: 'csat',
    expr: 'chom_csat_score < $T',
    for: '1d',
    team: 'customer-success',
    dashboard: 'customerSuccess',
    summary: 'CSAT is below $T',
    description: 'Mean CSAT is {{ $value | printf "%.2f" }} of 5 (threshold $T).',
    runbook: {
      meaning: 'Customers rate recent interactions poorly.',
      check: 'Support resolution times against SLA; which touchpoint scores lowest.',
      action: 'Review low-rated tickets with the support team.',
    },
  },
  {
    alert: 'ChomCustomerHealthCritical',
    threshold: 'healthScore',
    expr: 'chom_customer_health_score < $T',
    for: '6h',
    team: 'customer-success',
    dashboard: 'customerSuccess',
    summary: 'Organization {{ $labels.organization }} has a health score below $T',
    description:
      'The health score of {{ $labels.organization }} is {{ $value | printf "%.1f" }} (threshold $T).',
    runbook: {
      meaning:
        'An account shows low usage, payment trouble or heavy support load and is at risk of churning.',
      check:
        "The at-risk table on the Customer Success board; the account's tickets and payment status.",
      action:
        'Schedule a call with the account within 24 hours (seed guidance for critical health).',
    },
  },
  {
    alert: 'ChomSupportVolumeHigh',
    threshold: 'ticketsPerCustomer',
    expr: 'chom:support_tickets_per_customer:ratio30d > $T',
    for: '1d',
    team: 'customer-success',
    dashboard: 'customerSuccess',
    summary: 'More than $T support tickets per customer in 30 days',
    description:
      'New tickets per paying customer over 30 days: {{ $value | printf "%.2f" }} (threshold $T).',
    runbook: {
      meaning:
        'Support load per customer is above the healthy ratio; often a product or documentation problem.',
      check: 'Tickets by priority; a spike after a release?',
      action: 'Find the top ticket themes and fix the cause; staff support if needed.',
    },
  },
  {
    alert: 'ChomCacHigh',
    threshold: 'cac',
    expr: 'currency:chom_customer_acquisition_cost:ratio30d{currency="$CUR"} > $T',
    for: '1d',
    team: 'growth',
    dashboard: 'growth',
    summary: 'CAC is above $T $CUR',
    description:
      'Blended CAC over 30 days is {{ $value | printf "%.2f" }} {{ $labels.currency }} (threshold $T).',
    runbook: {
      meaning: 'Acquiring a customer costs more than the ceiling.',
      check: 'CPA and ROI by channel on the Growth board.',
      action: 'Shift budget from high-CPA to low-CPA channels.',
    },
  },
  {
    alert: 'ChomSignupsLow',
    threshold: 'weeklySignups',
    expr: 'chom:users_signups:increase7d < $T',
    for: '6h',
    team: 'growth',
    dashboard: 'growth',
    summary: 'Fewer than $T signups in 7 days',
    description: '{{ $value | printf "%.0f" }} signups over the last 7 days (floor $T).',
    runbook: {
      meaning: 'Top-of-funnel volume is below the floor.',
      check: 'Signups by channel; landing page conversion; was a campaign paused?',
      action: 'Restart or add acquisition campaigns.',
    },
  },
  {
    alert: 'ChomLandingPageConversionLow',
    threshold: 'landingPageConversion',
    expr: 'page:chom_landing_page_conversion:ratio7d < $T',
    for: '1d',
    team: 'growth',
    dashboard: 'growth',
    summary: 'Landing page {{ $labels.page }} converts below $T_PCT',
    description: `Page {{ $labels.page }} converted ${pct} of visits over 7 days (threshold $T_PCT).`,
    runbook: {
      meaning: 'A landing page converts visitors worse than the floor.',
      check: 'Recent changes to the page; traffic mix by channel.',
      action: 'Revert or A/B test the page.',
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
    description: `DAU/MAU is ${pct} (threshold $T_PCT): low engagement frequency.`,
    runbook: {
      meaning: 'Users come back rarely; engagement is low (seed: below 10% investigate drop-off).',
      check: 'Active users trends, session duration, feature adoption.',
      action: 'Investigate drop-off; re-engagement campaigns.',
    },
  },
  {
    alert: 'ChomNetRevenueRetentionLow',
    threshold: 'nrr',
    expr: 'currency:chom_revenue_nrr:ratio{currency="$CUR"} < $T',
    for: '1d',
    team: 'business',
    dashboard: 'business',
    summary: 'Net revenue retention is below $T_PCT',
    description: `NRR this month is ${pct} in {{ $labels.currency }} (threshold $T_PCT).`,
    runbook: {
      meaning: 'Existing customers shrink: churn and contraction exceed expansion.',
      check: 'MRR movements: contraction and churn against expansion.',
      action: 'Expansion plays with healthy accounts; save plays with at-risk ones.',
    },
  },
];

/** The exporter's own health: for SRE. */
function exporterAlerts(job: string): AlertRule[] {
  return [
    {
      alert: 'ChomExporterDown',
      expr: `up{job="${job}"} == 0`,
      for: '5m',
      severity: 'critical',
      team: 'sre',
      summary: 'chom-exporter target {{ $labels.instance }} is down',
      description: 'Prometheus cannot scrape {{ $labels.instance }}: business metrics are frozen.',
      runbook: {
        meaning: 'The exporter process is not answering scrapes.',
        check:
          'Container or process status, /healthz, the last log lines; the scrape error on the Prometheus targets page.',
        action: 'Restart it; if it exits at start, run `chom-exporter check-config`.',
      },
    },
    {
      alert: 'ChomExporterAbsent',
      expr: `absent(up{job="${job}"})`,
      for: '10m',
      severity: 'critical',
      team: 'sre',
      summary: 'No chom-exporter target is known to Prometheus',
      description: `Prometheus has no series up{job="${job}"}: the scrape job is missing or service discovery lost the target.`,
      runbook: {
        meaning:
          'Prometheus does not scrape the exporter at all, so every business alert is blind.',
        check: 'prometheus.yml scrape_configs and service discovery.',
        action: 'Restore the scrape job.',
      },
    },
    {
      alert: 'ChomCollectorFailing',
      expr: 'chom_collector_success == 0',
      for: '15m',
      severity: 'warning',
      team: 'sre',
      summary: 'Collector {{ $labels.collector }} is failing',
      description:
        'The last runs of {{ $labels.collector }} on {{ $labels.instance }} failed; its metrics are the last good values.',
      runbook: {
        meaning:
          'A source (database, events table, Stripe) errors or times out for this collector.',
        check:
          'Exporter logs with collector={{collector}}; chom_collector_errors_total; the landing page /.',
        action:
          'Fix the source or the override query; the collector recovers by itself on its next run.',
      },
    },
    {
      alert: 'ChomCollectorDataStale',
      expr: 'time() - chom_collector_last_success_timestamp_seconds > 2 * chom_collector_interval_seconds',
      for: '5m',
      severity: 'warning',
      team: 'sre',
      summary: 'Data of collector {{ $labels.collector }} is stale',
      description:
        'No successful run of {{ $labels.collector }} for {{ $value | humanizeDuration }}, more than two intervals.',
      runbook: {
        meaning: 'Values are being served from an old successful run.',
        check: 'ChomCollectorFailing for the same collector; the exporter logs.',
        action: 'As for ChomCollectorFailing; dashboards show old data until it recovers.',
      },
    },
    {
      alert: 'ChomRowsRejected',
      expr: 'increase(chom_collector_rows_rejected_total[1h]) > 0',
      for: '0m',
      severity: 'info',
      team: 'sre',
      summary: 'Collector {{ $labels.collector }} rejected rows ({{ $labels.reason }})',
      description:
        '{{ $value | printf "%.0f" }} rows rejected in the last hour by {{ $labels.collector }} for reason {{ $labels.reason }}.',
      runbook: {
        meaning:
          'Source rows had NULL or non-numeric values, duplicate label sets or invalid billing data; they were left out.',
        check: 'Exporter logs ("rejected a row") name the query, column and value.',
        action: 'Fix the data or the override query.',
      },
    },
    {
      alert: 'ChomBillingOpeningReconstructed',
      expr: 'chom_billing_month_opening_reconstructed == 1',
      for: '1h',
      severity: 'info',
      team: 'sre',
      summary: "This month's opening MRR was reconstructed",
      description:
        'Billing movements this month are computed from a reconstructed opening; plan changes made before the exporter first ran this month are not visible.',
      runbook: {
        meaning:
          'The exporter had no usable record of MRR at the start of the month: first run mid-month, no state database, or collectors.billing_mrr.source or policy changed since the month was recorded.',
        check:
          'stateDatabase.url in the config; a log warning "recorded under another billing source or policy".',
        action:
          "Configure a state database; after a source or policy change, nothing: next month's numbers will be exact.",
      },
    },
    {
      alert: 'ChomWatchdog',
      expr: 'vector(1)',
      for: '0m',
      severity: 'info',
      team: 'sre',
      summary: 'Alerting pipeline heartbeat',
      description: 'Always firing. If this stops arriving, Prometheus or Alertmanager is broken.',
      runbook: {
        meaning: "A dead man's switch: proves the alerting pipeline works end to end.",
        check: 'Nothing, while it arrives.',
        action: 'If it stops arriving, check Prometheus rule evaluation and Alertmanager delivery.',
      },
    },
  ];
}

const asPercent = (value: number) => `${Number((value * 100).toFixed(4))}%`;

/** Every alert, generated from the KPI config. */
export function alertRules(kpi: KpiConfig, job = exporterJob): AlertRule[] {
  const business = thresholdAlerts.flatMap((definition) => {
    const levels = kpi.thresholds[definition.threshold];
    return (['warning', 'critical'] as const).flatMap((severity) => {
      const value = levels[severity];
      if (value === null) return [];
      const fill = (text: string) =>
        text
          .replaceAll('$T_PCT', asPercent(value))
          .replaceAll('$T', String(value))
          .replaceAll('$CUR', kpi.reportingCurrency);
      return [
        {
          alert: definition.alert,
          expr: fill(definition.expr),
          for: definition.for,
          severity,
          team: definition.team,
          summary: fill(definition.summary),
          description: fill(definition.description),
          dashboard: definition.dashboard,
          runbook: definition.runbook,
        } satisfies AlertRule,
      ];
    });
  });
  const priorities = ['critical', 'high', 'medium', 'low'] as const;
  const slas = priorities.map((p) => `${p} ${kpi.resolutionSlaSeconds[p] / 3600} h`).join(', ');
  // One rule with an `or` per priority: one alert name with the same labels must be one rule.
  const sla: AlertRule = {
    alert: 'ChomSupportResolutionSlaBreached',
    expr: priorities
      .map(
        (p) =>
          `chom_support_resolution_time_seconds{priority="${p}"} > ${kpi.resolutionSlaSeconds[p]}`,
      )
      .join(' or '),
    for: '1h',
    severity: 'warning',
    team: 'customer-success',
    summary: 'Mean resolution time of {{ $labels.priority }} tickets is above the SLA',
    description: `Mean resolution time of {{ $labels.priority }} tickets over 30 days is {{ $value | humanizeDuration }} (SLAs: ${slas}).`,
    dashboard: 'customerSuccess',
    runbook: {
      meaning: 'Tickets of this priority take longer to resolve than the SLA.',
      check: 'Open and in-progress tickets by priority; staffing.',
      action: 'Re-prioritise the queue; add staff or escalate.',
    },
  };
  return [...business, sla, ...exporterAlerts(job)];
}

/** The runbook anchor of an alert (GitHub-style heading slug). */
export function runbookAnchor(alert: string): string {
  return alert.toLowerCase();
}
