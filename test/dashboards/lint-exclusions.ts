/**
 * Exclusions from the grafana/dashboard-linter rules, in the spirit of its
 * `.lint` file: each with a reason, and entries naming exactly the panels
 * excluded. The lint suite fails on an entry that no longer matches a panel
 * or no longer needs the exclusion. (No panel counts over `$__range` any more:
 * counts over 7 or 30 days come from gauges the exporter computes.)
 */
export interface Exclusion {
  readonly reason: string;
  /** Panels excluded; absent means the whole rule is excluded. */
  readonly entries?: readonly { dashboard: string; panel: string }[];
}

const jobInstanceReason =
  'All CHOM KPIs come from one exporter job, and the boards filter on business labels (currency, tier, channel, priority), not on job/instance; every query collapses the replicas (instance, pod) instead of picking one. kubernetes-mixin excludes these rules too.';

export const exclusions: Record<string, Exclusion> = {
  'template-job-rule': { reason: jobInstanceReason },
  'template-instance-rule': { reason: jobInstanceReason },
  'target-job-rule': { reason: jobInstanceReason },
  'target-instance-rule': { reason: jobInstanceReason },
};

export function isExcluded(rule: string, dashboard: string, panel: string): boolean {
  const exclusion = exclusions[rule];
  if (!exclusion) return false;
  if (!exclusion.entries) return true;
  return exclusion.entries.some((entry) => entry.dashboard === dashboard && entry.panel === panel);
}
