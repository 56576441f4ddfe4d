/** The PromQL of the Customer Success board, by what each query shows; the layout is customer-success.ts. */
export const customerSuccessQueries = {
  priorityValues: 'label_values(chom_support_tickets, priority)',
  healthScoreMean: 'chom_customer_health_score_mean',
  organizationsByHealthBand: 'sum by (band) (chom_customer_health_organizations)',
  /** Organizations scoring below `ceiling`, lowest first. */
  atRiskOrganizations: (ceiling: number) =>
    `sort(max by (organization) (chom_customer_health_score) < ${ceiling})`,
  nps: 'chom_nps_score',
  npsResponsesByCategory: 'sum by (category) (chom_nps_responses)',
  csat: 'chom_csat_score',
  npsResponses: 'sum(chom_nps_responses)',
  csatResponses: 'chom_csat_responses',
  engagementScore: 'chom_customer_engagement_score',
  sessionDuration: 'chom_session_duration_seconds',
  actionsPerSession: 'chom_actions_per_session',
  loginsPerHour: 'sum(rate(chom_user_logins_total[$__rate_interval])) * 3600',
  featureAdoption: 'max by (feature) (chom_feature_adoption_ratio)',
  featureUsers: 'max by (feature) (chom_feature_users)',
  featureUsesPerHour: 'sum by (feature) (rate(chom_feature_usage_total[$__rate_interval])) * 3600',
  ticketsByStatusAndPriority:
    'sum by (priority, status) (chom_support_tickets{priority=~"$priority"})',
  newTicketsPerHour:
    'sum by (priority) (rate(chom_support_tickets_created_total{priority=~"$priority"}[$__rate_interval])) * 3600',
  ticketsPerCustomer30d: 'chom:support_tickets_per_customer:ratio30d',
  resolutionTime: (priority: string) =>
    `chom_support_resolution_time_seconds{priority="${priority}"}`,
  firstResponseTime: (priority: string) =>
    `chom_support_first_response_time_seconds{priority="${priority}"}`,
  timeToFirstValue: 'chom_time_to_first_value_seconds',
  firstValueReached: 'chom_first_value_reached_ratio',
};
