import { oneReplica, sumBy, total, valueBy } from '../kpi/ids.js';

/** Events per hour from a counter, replicas collapsed before the sum. */
const perHour = (by: string, counter: string) =>
  `${by ? `sum by (${by})` : 'sum'} (${oneReplica(`rate(${counter}[$__rate_interval])`)}) * 3600`;

/**
 * The PromQL of the Customer Success board, by what each query shows; the
 * layout is customer-success.ts. Raw gauges collapse replicas (src/kpi/ids.ts).
 */
export const customerSuccessQueries = {
  priorityValues: 'label_values(chom_support_tickets, priority)',
  healthScoreMean: valueBy('', 'chom_customer_health_score_mean'),
  organizationsByHealthBand: sumBy('band', 'chom_customer_health_organizations'),
  /** Organizations scoring below `ceiling`, lowest first. */
  atRiskOrganizations: (ceiling: number) =>
    `sort(${valueBy('organization', 'chom_customer_health_score')} < ${ceiling})`,
  nps: valueBy('', 'chom_nps_score'),
  npsResponsesByCategory: sumBy('category', 'chom_nps_responses'),
  csat: valueBy('', 'chom_csat_score'),
  npsResponses: total('chom_nps_responses'),
  csatResponses: valueBy('', 'chom_csat_responses'),
  engagementScore: valueBy('', 'chom_customer_engagement_score'),
  sessionDuration: valueBy('', 'chom_session_duration_seconds'),
  actionsPerSession: valueBy('', 'chom_actions_per_session'),
  loginsPerHour: perHour('', 'chom_user_logins_total'),
  featureAdoption: valueBy('feature', 'chom_feature_adoption_ratio'),
  featureUsers: valueBy('feature', 'chom_feature_users'),
  featureUsesPerHour: perHour('feature', 'chom_feature_usage_total'),
  ticketsByStatusAndPriority: sumBy(
    'priority, status',
    'chom_support_tickets{priority=~"$priority"}',
  ),
  newTicketsPerHour: perHour(
    'priority',
    'chom_support_tickets_created_total{priority=~"$priority"}',
  ),
  ticketsPerCustomer30d: 'chom:support_tickets_per_customer:ratio30d',
  resolutionTime: (priority: string) =>
    valueBy('priority', `chom_support_resolution_time_seconds{priority="${priority}"}`),
  firstResponseTime: (priority: string) =>
    valueBy('priority', `chom_support_first_response_time_seconds{priority="${priority}"}`),
  timeToFirstValue: valueBy('', 'chom_time_to_first_value_seconds'),
  firstValueReached: valueBy('', 'chom_first_value_reached_ratio'),
};
