import { analyticsEventCounters } from './analytics-event-counters.js';
import { billingMrr } from './billing-mrr.js';
import { configKpiTargets } from './config-kpi-targets.js';
import { postgresActiveUsers } from './postgres-active-users.js';
import { postgresCohortRetention } from './postgres-cohort-retention.js';
import { postgresCsat } from './postgres-csat.js';
import { postgresCustomerHealth } from './postgres-customer-health.js';
import { postgresEmailCampaigns } from './postgres-email-campaigns.js';
import { postgresEngagement } from './postgres-engagement.js';
import { postgresFeatureAdoption } from './postgres-feature-adoption.js';
import { postgresMarketingSpend } from './postgres-marketing-spend.js';
import { postgresNps } from './postgres-nps.js';
import { postgresReferrals } from './postgres-referrals.js';
import { postgresSupportTickets } from './postgres-support-tickets.js';
import { postgresTimeToValue } from './postgres-time-to-value.js';
import type { AnyCollector } from './types.js';

/** Every collector, explicitly: adding one is a line here, and nothing runs on import. */
export const collectors: readonly AnyCollector[] = [
  postgresActiveUsers,
  postgresMarketingSpend,
  postgresCustomerHealth,
  postgresNps,
  postgresCsat,
  postgresEngagement,
  postgresFeatureAdoption,
  postgresSupportTickets,
  postgresTimeToValue,
  postgresReferrals,
  postgresEmailCampaigns,
  postgresCohortRetention,
  analyticsEventCounters,
  billingMrr,
  configKpiTargets,
];
