import type { KpiConfig } from '../kpi/kpi-config.js';
import { barGaugePanel, type Row, statPanel, timeSeriesPanel, units } from './common.js';
import { growthMarketingQueries as q } from './growth-marketing.queries.js';
import { below, pct } from './thresholds.js';

const number = (value: number | null) => (value === null ? '-' : String(value));

/**
 * Trials (seed 004's weekly trial signups), month-over-month signup growth
 * (002), leads (000's content engine) and the funnel against the week before
 * (000's "drop > 40% at any stage").
 */
export function trialsLeadsFunnelRow(kpi: KpiConfig): Row {
  const t = kpi.thresholds;
  const drop = t.funnelStageDrop.warning;
  const channels = kpi.leadChannels.join(', ');
  return {
    title: 'Trials, leads and the funnel week over week',
    cells: [
      statPanel({
        title: 'Trial signups (7 days)',
        description: `Trials started over the last 7 days (seed 004 "weekly trial signups"), counted by the exporter over the whole week. Red below ${number(t.weeklySignups.critical)}, orange below ${number(t.weeklySignups.warning)}: the thresholds of ChomSignupsLow, which counts trials, not all signups.`,
        unit: units.count,
        queries: [{ expr: q.trialSignups7d, legend: 'Trials (7 days)' }],
        thresholds: below(t.weeklySignups),
        decimals: 0,
        width: 4,
        height: 6,
      }),
      statPanel({
        title: 'Signup growth (month over month)',
        description:
          'Signups of the last 30 days against the 30 days before ((this month - last month) / last month), seed 002 "Sign-up Growth Rate": growth stage 10-20% a month, mature 5-10%. Green when growing. Empty until Prometheus holds the 30-day count of 30 days ago.',
        unit: units.ratio,
        queries: [{ expr: q.signupGrowthMonthOverMonth, legend: 'MoM growth' }],
        thresholds: below({ warning: 0, critical: null }),
        decimals: 1,
        width: 4,
        height: 6,
      }),
      statPanel({
        title: 'Leads (30 days)',
        description: `Leads from the content engine (seed 000 "organic traffic + leads/mo"): signups of the last 30 days from the lead channels (kpi.leadChannels: ${channels}). Orange below ${number(t.monthlyLeads.warning)} (the alert threshold).`,
        unit: units.count,
        queries: [{ expr: q.leads30d, legend: 'Leads (30 days)' }],
        thresholds: below(t.monthlyLeads),
        decimals: 0,
        width: 4,
        height: 6,
      }),
      timeSeriesPanel({
        title: 'Leads over time (30 days)',
        description: `Leads over the trailing 30 days as it moved (signups from ${channels}), with the ${number(t.monthlyLeads.warning)} floor dashed: seed 000's content engine area chart.`,
        unit: units.count,
        queries: [{ expr: q.leads30d, legend: 'Leads (30 days)' }],
        thresholds: below(t.monthlyLeads),
        thresholdLines: true,
        stacked: true,
        width: 12,
        height: 6,
      }),
      barGaugePanel({
        title: 'Funnel stages (7 days)',
        description:
          "Users reaching each stage of seed 000's funnel over the last 7 days: visit (landing page visits), signup, activation, trial, paid; counted by the exporter over the whole week.",
        unit: units.count,
        queries: [{ expr: q.funnelStages7d, legend: '{{stage}}', instant: true }],
        decimals: 0,
        width: 12,
        height: 7,
      }),
      barGaugePanel({
        title: 'Funnel stages, change against the week before',
        description: `Each stage's last 7 days against the 7 days before ((this week - last week) / last week). Red from a drop of ${drop === null ? '-' : pct(drop)} (ChomFunnelStageDrop, seed 000 "drop > 40% at any stage", which judges stages with at least ${kpi.minFunnelStageEvents} events the week before). Empty until Prometheus holds a week of history.`,
        unit: units.ratio,
        queries: [{ expr: q.funnelStageChange7d, legend: '{{stage}}', instant: true }],
        thresholds:
          drop === null
            ? [{ value: null, color: 'green' }]
            : [
                { value: null, color: 'red' },
                { value: -drop, color: 'green' },
              ],
        decimals: 1,
        width: 12,
        height: 7,
      }),
    ],
  };
}
