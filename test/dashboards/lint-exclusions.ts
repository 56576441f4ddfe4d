import { dashboardUids } from '../../src/kpi/ids.js';

/**
 * Exclusions from the grafana/dashboard-linter rules, in the spirit of its
 * `.lint` file: each with a reason, and entries naming exactly the panels
 * excluded. The lint suite fails on an entry that no longer matches a panel
 * or no longer needs the exclusion.
 */
export interface Exclusion {
  readonly reason: string;
  /** Panels excluded; absent means the whole rule is excluded. */
  readonly entries?: readonly { dashboard: string; panel: string }[];
}

const jobInstanceReason =
  'All CHOM KPIs come from one exporter job, and the boards filter on business labels (currency, tier, channel, priority), not on job/instance; kubernetes-mixin excludes these rules too.';

export const exclusions: Record<string, Exclusion> = {
  'template-job-rule': { reason: jobInstanceReason },
  'template-instance-rule': { reason: jobInstanceReason },
  'target-job-rule': { reason: jobInstanceReason },
  'target-instance-rule': { reason: jobInstanceReason },
  'target-rate-interval-rule': {
    reason:
      'These panels show the total over the selected time range (increase over $__range), the exception the linter documents: "show the rate or increase over a fixed period of time".',
    entries: [
      { dashboard: dashboardUids.business, panel: 'Funnel in the selected period' },
      { dashboard: dashboardUids.growth, panel: 'Signups and activations (selected period)' },
      { dashboard: dashboardUids.growth, panel: 'Signups by channel (selected period)' },
      { dashboard: dashboardUids.growth, panel: 'Referral conversion (selected period)' },
    ],
  },
};

export function isExcluded(rule: string, dashboard: string, panel: string): boolean {
  const exclusion = exclusions[rule];
  if (!exclusion) return false;
  if (!exclusion.entries) return true;
  return exclusion.entries.some((entry) => entry.dashboard === dashboard && entry.panel === panel);
}
