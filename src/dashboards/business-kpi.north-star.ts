import type { KpiConfig } from '../kpi/kpi-config.js';
import { milestoneAnnouncement } from '../kpi/milestone-alerts.js';
import { businessKpiQueries as q } from './business-kpi.queries.js';
import { type Row, statPanel, timeSeriesPanel, units } from './common.js';
import { below } from './thresholds.js';

const growthSteps = below({ warning: 0, critical: null });

/**
 * Seed 000's executive view: the north star metric (Monthly Successful
 * Referrals) as a big number with its trend, and the organizations with their
 * growth. Milestones are announced by info alerts (kpi.milestones).
 */
export function northStarRow(kpi: KpiConfig): Row {
  const { organizationsEvery, customersEvery, mrrEvery } = kpi.milestones;
  const milestones = [
    organizationsEvery && `every ${organizationsEvery} organizations`,
    customersEvery && `every ${customersEvery} paying customers`,
    mrrEvery && `every ${mrrEvery} of MRR in ${kpi.reportingCurrency}`,
  ].filter(Boolean);
  const milestoneNote = milestones.length
    ? `Milestones (${milestones.join(', ')}) are announced to the business team by an info alert, once, for ${milestoneAnnouncement} after they are first reached.`
    : 'Milestone alerts are off (kpi.milestones).';
  return {
    title: 'North star: successful referrals, organizations',
    cells: [
      statPanel({
        title: 'Monthly successful referrals',
        description:
          'The north star metric (seed 000): referrals that led to a successful conversion (the invited person signed up) over the last 30 days, counted by the exporter over the whole window. It captures value delivered to both sides and leads every revenue stream.',
        unit: units.count,
        queries: [{ expr: q.monthlySuccessfulReferrals, legend: 'Successful referrals (30 days)' }],
        decimals: 0,
        width: 4,
        height: 6,
      }),
      statPanel({
        title: 'Successful referrals, change over 30 days',
        description:
          'The trend of the north star: monthly successful referrals now against the 30 days before ((now - then) / then). Green when growing. Empty until Prometheus holds the count of 30 days ago (and for 30 days after a gap in it).',
        unit: units.ratio,
        queries: [{ expr: q.monthlySuccessfulReferralsChange, legend: 'Change' }],
        thresholds: growthSteps,
        decimals: 1,
        width: 4,
        height: 6,
      }),
      timeSeriesPanel({
        title: 'Monthly successful referrals over time',
        description:
          'Successful referrals over the trailing 30 days, as it moved: the north star trend over the period shown.',
        unit: units.count,
        queries: [{ expr: q.monthlySuccessfulReferrals, legend: 'Successful referrals (30 days)' }],
        width: 6,
        height: 6,
      }),
      statPanel({
        title: 'Organizations',
        description: `Organizations (not deleted), with or without users: the total of the health bands, which count every organization. ${milestoneNote}`,
        unit: units.count,
        queries: [{ expr: q.organizations, legend: 'Organizations' }],
        decimals: 0,
        width: 3,
        height: 6,
      }),
      statPanel({
        title: 'Organization growth (30 days)',
        description:
          'Organizations now against 30 days ago ((now - then) / then): the growth % of seed 000. Green when growing. Empty until Prometheus holds the count of 30 days ago.',
        unit: units.ratio,
        queries: [{ expr: q.organizationsGrowth30d, legend: 'Growth' }],
        thresholds: growthSteps,
        decimals: 1,
        width: 3,
        height: 6,
      }),
      timeSeriesPanel({
        title: 'Organizations over time',
        description:
          'Organizations (not deleted) over the period shown: the counter behind the growth % beside it.',
        unit: units.count,
        queries: [{ expr: q.organizations, legend: 'Organizations' }],
        width: 4,
        height: 6,
      }),
    ],
  };
}
