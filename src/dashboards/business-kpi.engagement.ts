import type { KpiConfig } from '../kpi/kpi-config.js';
import { businessKpiQueries as q } from './business-kpi.queries.js';
import {
  override,
  type Row,
  statPanel,
  thresholdsProperty,
  timeSeriesPanel,
  units,
} from './common.js';
import { below, belowGoal, neutral, pct, seedBenchmarks } from './thresholds.js';

const number = (value: number | null) => (value === null ? '-' : String(value));

/**
 * Active users and engagement, judged by seed 003's KPI framework: DAU
 * (500 / 200), DAU/MAU (goal 25%), mean session duration (300 s / 180 s),
 * ARPU per active user and active users month over month.
 */
export function engagementRow(kpi: KpiConfig): Row {
  const t = kpi.thresholds;
  const goal = kpi.targets.dauMau;
  const dauMauSteps = belowGoal(t.dauMau.warning, goal);
  return {
    title: 'Engagement',
    cells: [
      statPanel({
        title: 'Active users (DAU / WAU / MAU)',
        description: `Distinct users with a session in the last 24 hours (DAU), 7 days (WAU) and 30 days (MAU). Indicates engagement and value delivery; WAU suits products used weekly. DAU is red below ${number(t.dau.critical)} and orange below ${number(t.dau.warning)} (the alert thresholds, seed 003); WAU and MAU are not judged.`,
        unit: units.count,
        queries: [
          { expr: q.dau, legend: 'DAU' },
          { expr: q.wau, legend: 'WAU' },
          { expr: q.mau, legend: 'MAU' },
        ],
        thresholds: neutral,
        overrides: [override.byName('DAU', [thresholdsProperty(below(t.dau))])],
        width: 8,
        height: 6,
      }),
      statPanel({
        title: 'DAU / MAU',
        description: `Stickiness: the share of monthly users active on a given day. Above ${pct(seedBenchmarks.dauMauVeryEngaged)} is a very engaged user base, 10-20% moderate, below 10% low (investigate drop-off). Red below ${pct(t.dauMau.warning)} (the alert threshold), green from the ${pct(goal)} goal of seed 003 (kpi.targets.dauMau).`,
        unit: units.ratio,
        queries: [{ expr: q.dauMau, legend: 'DAU/MAU' }],
        thresholds: dauMauSteps,
        decimals: 1,
        width: 4,
        height: 6,
      }),
      timeSeriesPanel({
        title: 'Active users over time',
        description:
          'DAU, WAU and MAU over time. A growing gap between DAU and MAU means users come less often.',
        unit: units.count,
        queries: [
          { expr: q.dau, legend: 'DAU' },
          { expr: q.wau, legend: 'WAU' },
          { expr: q.mau, legend: 'MAU' },
        ],
        width: 12,
        height: 6,
      }),
      statPanel({
        title: 'Mean session duration',
        description: `Average length of finished sessions started in the last 30 days (seed 003 "Session Duration"). Red below ${number(t.sessionDuration.critical)} s, orange below ${number(t.sessionDuration.warning)} s (the alert thresholds).`,
        unit: units.seconds,
        queries: [{ expr: q.sessionDuration, legend: 'Session duration' }],
        thresholds: below(t.sessionDuration),
        width: 4,
        height: 6,
      }),
      statPanel({
        title: 'ARPU per active user ($currency)',
        description:
          'Average revenue per user (seed 003 "ARPU = MRR / Active Users"): MRR in the selected currency / monthly active users. With several currencies each shows its own share over all active users (never converted); ARPA on the Revenue row divides by paying accounts instead.',
        unit: units.money,
        queries: [{ expr: q.arpu, legend: 'ARPU ({{currency}})' }],
        decimals: 2,
        width: 4,
        height: 6,
      }),
      statPanel({
        title: 'Active users, month over month',
        description:
          'Monthly active users now against 30 days ago ((now - then) / then), seed 003 "Active Users, ↑ % MoM". Green when growing. Empty until Prometheus holds MAU from 30 days ago (and for 30 days after a gap).',
        unit: units.ratio,
        queries: [{ expr: q.activeUsersGrowth30d, legend: 'MAU growth' }],
        thresholds: below({ warning: 0, critical: null }),
        decimals: 1,
        width: 4,
        height: 6,
      }),
      timeSeriesPanel({
        title: 'DAU / MAU against its goal',
        description: `Stickiness over time with the ${pct(goal)} goal (dotted, chom_kpi_target_ratio from kpi.targets.dauMau) and the ${pct(t.dauMau.warning)} alert floor (dashed).`,
        unit: units.ratio,
        queries: [
          { expr: q.dauMau, legend: 'DAU/MAU' },
          { expr: q.dauMauTarget, legend: 'Goal' },
        ],
        thresholds: t.dauMau.warning === null ? neutral : below({ ...t.dauMau, critical: null }),
        thresholdLines: true,
        overrides: [
          override.byQuery('B', [
            { id: 'custom.lineStyle', value: { fill: 'dot', dash: [0, 10] } },
          ]),
        ],
        width: 12,
        height: 6,
      }),
    ],
  };
}
