/**
 * Collection as of an instant: every collector computes its values as of
 * `ctx.at` (the run's start live, a past step in a backfill). Default queries
 * take it as the named parameter `$at`; overrides and custom SQL may use it
 * too. This module says which collectors, under which options, a backfill
 * can evaluate at a past instant, and evaluates them there.
 */
import type { Sample } from '../metrics/spec.js';
import { usesAtParameter } from '../shared/sql-text.js';
import type { QuerySpec } from '../sources/query-contract.js';
import { eventCountersAsOf, referralsAsOf, supportTicketsAsOf } from './counters-as-of.js';
import { customSqlOf } from './custom-sql.js';
import { activeUsersQueries } from './postgres-active-users.js';
import { cohortRetentionQueries } from './postgres-cohort-retention.js';
import { csatQueries } from './postgres-csat.js';
import { customerHealthQueries } from './postgres-customer-health.js';
import { emailCampaignQueries } from './postgres-email-campaigns.js';
import { engagementQueries } from './postgres-engagement.js';
import { featureAdoptionQueries } from './postgres-feature-adoption.js';
import { marketingSpendQueries } from './postgres-marketing-spend.js';
import { npsQueries } from './postgres-nps.js';
import { referralQueries } from './postgres-referrals.js';
import { supportTicketQueries } from './postgres-support-tickets.js';
import { timeToValueQueries } from './postgres-time-to-value.js';
import type { AnyCollector, CollectorContext } from './types.js';

/**
 * The default queries of each SQL collector. A default that uses `$at` needs
 * an override that uses it too; the others take the instant another way
 * (spend's window days, the counters' ranges), so any override of them does.
 */
const defaultQueries: Readonly<Record<string, Readonly<Record<string, QuerySpec>>>> = {
  postgres_active_users: activeUsersQueries,
  postgres_marketing_spend: marketingSpendQueries,
  postgres_customer_health: customerHealthQueries,
  postgres_nps: npsQueries,
  postgres_csat: csatQueries,
  postgres_engagement: engagementQueries,
  postgres_feature_adoption: featureAdoptionQueries,
  postgres_support_tickets: supportTicketQueries,
  postgres_time_to_value: timeToValueQueries,
  postgres_referrals: referralQueries,
  postgres_email_campaigns: emailCampaignQueries,
  postgres_cohort_retention: cohortRetentionQueries,
};

/** Collectors that compute as of `at` without a query of their own (no override to check). */
const withoutQueries = new Set(['analytics_event_counters', 'config_kpi_targets', 'billing_mrr']);

/** Collectors that compute only as of now, and why. */
// Empty since billing computes as of an instant from subscription timelines (README, "Billing as of
// an instant"); kept so that a collector without an as-of form says so in one line.
const liveOnly: Readonly<Record<string, string>> = {};

/**
 * The as-of forms of the collectors whose live runs keep state (lifetime
 * counters counted incrementally): stateless, one pass, see counters-as-of.ts.
 */
// biome-ignore lint/suspicious/noExplicitAny: each form takes its own collector's options.
const asOfForms: Readonly<Record<string, (ctx: any) => Promise<readonly Sample[]>>> = {
  analytics_event_counters: eventCountersAsOf,
  postgres_referrals: referralsAsOf,
  postgres_support_tickets: supportTicketsAsOf,
};

export type Backfillability =
  | { readonly backfillable: true }
  | { readonly backfillable: false; readonly reason: string };

/** Whether a collector with these options can be evaluated at a past instant, and if not why. */
export function backfillability(collector: AnyCollector, options: unknown): Backfillability {
  const no = (reason: string): Backfillability => ({
    backfillable: false,
    reason: `${collector.name} is live-only: ${reason}`,
  });
  const custom = customSqlOf(collector);
  if (custom !== undefined)
    return usesAtParameter(custom)
      ? { backfillable: true }
      : no('its SQL does not use $at, the instant it is computed as of');
  const why = liveOnly[collector.name];
  if (why !== undefined) return no(why);
  if (withoutQueries.has(collector.name)) return { backfillable: true };
  const defaults = defaultQueries[collector.name];
  if (defaults === undefined) return no('it has no as-of form');
  const overrides = (options as { queries?: Record<string, string | undefined> }).queries ?? {};
  for (const [name, sql] of Object.entries(overrides)) {
    const spec = defaults[name];
    if (sql && spec && usesAtParameter(spec.sql) && !usesAtParameter(sql))
      return no(`collectors.${collector.name}.queries.${name} does not use $at`);
  }
  return { backfillable: true };
}

/** Whether a backfill can evaluate the collector at a past instant (see `backfillability`). */
export function isBackfillable(collector: AnyCollector, options: unknown): boolean {
  return backfillability(collector, options).backfillable;
}

/**
 * The collector's values as of `ctx.at`, without state: its as-of form when
 * its live run keeps state, else its live `collect` (the same code as a live
 * run at that instant). Refuses a collector that is not backfillable.
 */
export function collectAsOf(
  collector: AnyCollector,
  ctx: CollectorContext<unknown, undefined>,
): Promise<readonly Sample[]> {
  const verdict = backfillability(collector, ctx.options);
  if (!verdict.backfillable) return Promise.reject(new Error(verdict.reason));
  const form = asOfForms[collector.name];
  return form ? form(ctx) : collector.collect(ctx);
}
