import type { AlertRule } from './alert-rule.js';
import { sumBy, total, valueBy } from './ids.js';
import type { KpiConfig } from './kpi-config.js';

/** How long a milestone alert fires after the milestone is reached. */
export const milestoneAnnouncement = '6h';
/** A milestone counts when nothing reached it in this time before. */
export const milestoneMemory = '30d';

/**
 * `value` (a replica-collapsed expression) at its highest of the last 6 hours
 * (5-minute points), rounded down to a multiple of `step`: the milestone
 * reached. The alert holds while that multiple is above everything of the 30
 * days before (hourly points), so it fires for about 6 hours after the
 * milestone is first reached, however the value moves meanwhile (a count
 * flapping across 150 is one alert), then never again while the 30 days
 * remember it. Absent until Prometheus holds 6 hours of samples.
 */
const reached = (value: string, step: number, match = '') =>
  `floor(max_over_time((${value})[${milestoneAnnouncement}:5m]) / ${step}) * ${step} > ${match}max_over_time((${value})[${milestoneMemory}:1h] offset ${milestoneAnnouncement})`;

const runbook = (what: string) => ({
  meaning: `${what} reached a milestone for the first time in 30 days (seed 000: "New milestone: celebrate and share"). Info: one notification to the business team, no resolution message; it stops firing by itself after ${milestoneAnnouncement}.`,
  check: 'Nothing is wrong. The Business KPIs board shows the trend.',
  action: 'Celebrate and share it with the team.',
});

/** Info alerts that announce each milestone once (seed 000), from kpi.milestones. */
export function milestoneAlerts(kpi: KpiConfig): AlertRule[] {
  const { organizationsEvery, customersEvery, mrrEvery } = kpi.milestones;
  const common = {
    for: '0m',
    severity: 'info',
    team: 'business',
    dashboard: 'business',
    defaultFrom: '000 ("New milestone (100 ORGs, $1K MRR)"); every 50 customers: issue #19',
  } as const;
  const rules: AlertRule[] = [];
  if (organizationsEvery !== null)
    rules.push({
      ...common,
      alert: 'ChomOrganizationsMilestone',
      expr: reached(total('chom_customer_health_organizations'), organizationsEvery),
      summary: 'The number of organizations reached a milestone',
      description: `{{ $value | printf "%.0f" }} organizations: a milestone (every ${organizationsEvery}), reached for the first time in 30 days.`,
      runbook: runbook('The number of organizations'),
      setIn: '`kpi.milestones.organizationsEvery`',
    });
  if (customersEvery !== null)
    rules.push({
      ...common,
      alert: 'ChomCustomersMilestone',
      expr: reached(valueBy('', 'chom_customers'), customersEvery),
      summary: 'The number of paying customers reached a milestone',
      description: `{{ $value | printf "%.0f" }} paying customers: a milestone (every ${customersEvery}), reached for the first time in 30 days.`,
      runbook: runbook('The number of paying customers'),
      setIn: '`kpi.milestones.customersEvery`',
    });
  if (mrrEvery !== null)
    rules.push({
      ...common,
      alert: 'ChomMrrMilestone',
      expr: reached(
        sumBy('currency', `chom_revenue_mrr{currency="${kpi.reportingCurrency}"}`),
        mrrEvery,
        'on (currency) ',
      ),
      summary: 'MRR reached a milestone',
      description: `MRR in {{ $labels.currency }} reached {{ $value | printf "%.0f" }}: a milestone (every ${mrrEvery}), for the first time in 30 days.`,
      runbook: runbook('MRR in the reporting currency'),
      setIn: '`kpi.milestones.mrrEvery` (reporting currency)',
    });
  return rules;
}
