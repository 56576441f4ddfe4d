import type { AlertRule, ThresholdAlert } from './alert-rule.js';
import { oneReplica } from './ids.js';
import type { KpiConfig } from './kpi-config.js';

/** The customer success team's threshold alerts. */
export const customerSuccessAlerts: readonly ThresholdAlert[] = [
  {
    alert: 'ChomNpsLow',
    threshold: 'nps',
    expr: `${oneReplica('chom_nps_score')} < $T`,
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
    expr: `${oneReplica('chom_csat_score')} < $T`,
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
    expr: `${oneReplica('chom_customer_health_score')} < $T`,
    for: '6h',
    team: 'customer-success',
    dashboard: 'customerSuccess',
    summary: 'An organization has a health score below $T',
    description:
      'The health score of {{ $labels.organization }} is {{ $value | printf "%.1f" }} (threshold $T).',
    runbook: {
      meaning:
        'An account shows low usage, payment trouble or heavy support load and is at risk of churning. One alert per organization; Alertmanager sends them to customer success in one grouped notification, not to the pager.',
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
    alert: 'ChomSupportFirstResponseSlow',
    threshold: 'firstResponseTime',
    expr: `${oneReplica('chom_support_first_response_time_seconds')} > $T`,
    for: '1h',
    team: 'customer-success',
    dashboard: 'customerSuccess',
    summary: 'Mean first response to {{ $labels.priority }} tickets is over $T_H',
    description:
      'Tickets of priority {{ $labels.priority }} first answered in the last 30 days waited {{ $value | humanizeDuration }} on average for a first response (threshold $T_H).',
    runbook: {
      meaning:
        'Customers wait too long for a first answer (seed 004 red flag: support response time over 4 hours; seed 002 targets under 1 hour).',
      check:
        'Open and in-progress tickets by priority on the Customer Success board; staffing and shift coverage; an incoming spike.',
      action:
        'Acknowledge the waiting tickets; add staff or an auto-acknowledgement with next steps.',
    },
  },
];

const priorities = ['critical', 'high', 'medium', 'low'] as const;

/** Resolution time against the SLA of each priority: one rule, an `or` per priority. */
export function resolutionSlaAlert(kpi: KpiConfig): AlertRule {
  const sla = kpi.resolutionSlaSeconds;
  const slas = priorities.map((p) => `${p} ${sla[p] / 3600} h`).join(', ');
  return {
    alert: 'ChomSupportResolutionSlaBreached',
    // One alert name with the same labels must be one rule, hence the `or`.
    expr: priorities
      .map(
        (p) => `${oneReplica(`chom_support_resolution_time_seconds{priority="${p}"}`)} > ${sla[p]}`,
      )
      .join(' or '),
    for: '1h',
    severity: 'warning',
    team: 'customer-success',
    summary: 'Mean resolution time of {{ $labels.priority }} tickets is above the SLA',
    description: `Mean resolution time of {{ $labels.priority }} tickets over 30 days is {{ $value | humanizeDuration }} (SLAs: ${slas}).`,
    dashboard: 'customerSuccess',
    setIn: '`kpi.resolutionSlaSeconds.<priority>`',
    defaultFrom: '002 (critical < 2 h, high < 8 h, medium < 24 h, low < 72 h)',
    runbook: {
      meaning: 'Tickets of this priority take longer to resolve than the SLA.',
      check: 'Open and in-progress tickets by priority; staffing.',
      action: 'Re-prioritise the queue; add staff or escalate.',
    },
  };
}
