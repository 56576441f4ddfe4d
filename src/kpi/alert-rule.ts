import type { DashboardKey } from './ids.js';
import type { KpiThresholdName, MoneyThresholdName } from './kpi-config.js';

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
  /**
   * About one replica's own process (scrape, collector runs): it keeps the
   * `instance` label, so two failing replicas are two alerts. Every other
   * alert collapses replicas and fires once.
   */
  readonly perReplica?: true;
  /** Where its threshold is set in the `kpi` configuration (for the docs); none: fixed. */
  readonly setIn?: string;
  /** Which document the default threshold comes from (seed, brief), for the docs. */
  readonly defaultFrom?: string;
}

/**
 * A business alert defined once and generated per severity whose threshold is
 * set. Placeholders: `$T` the threshold, `$T_PCT` it as a percentage, `$T_H`
 * it (seconds) in hours, `$CUR` the currency of a money threshold,
 * `$MIN_VISITS` kpi.minLandingPageVisits, `$MIN_EVENTS` kpi.minFunnelStageEvents.
 */
export interface ThresholdAlert {
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
  /** A money threshold: one rule per currency that has one (kpi.thresholds, kpi.moneyThresholds). */
  readonly money?: MoneyThresholdName;
}

/** `{{ $value }}` as a percentage, for descriptions. */
export const valuePct = '{{ $value | humanizePercentage }}';
