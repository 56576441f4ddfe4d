import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardUids } from '../kpi/ids.js';
import type { KpiConfig } from '../kpi/kpi-config.js';
import {
  barGaugePanel,
  buildBoard,
  displayName,
  filterVariable,
  fixedColor,
  gaugePanel,
  override,
  pieChartPanel,
  statPanel,
  tablePanel,
  thresholdsProperty,
  timeSeriesPanel,
  titleOf,
  units,
} from './common.js';
import { customerSuccessQueries as q } from './customer-success.queries.js';
import {
  above,
  below,
  healthBands,
  healthScoreSteps,
  type Step,
  seedBenchmarks,
} from './thresholds.js';

const priorities = ['critical', 'high', 'medium', 'low'] as const;

const hours = (seconds: number) => `${Number((seconds / 3600).toPrecision(6))} h`;

/** Customer Success board: health, satisfaction, engagement, adoption, support, time to value. */
export function customerSuccessDashboard(kpi: KpiConfig): Dashboard {
  const t = kpi.thresholds;
  const bands = healthBands(kpi);
  const sla = kpi.resolutionSlaSeconds;
  const slaList = priorities.map((p) => `${p} ${hours(sla[p])}`).join(', ');
  const ttfv = seedBenchmarks.timeToFirstValueSeconds;
  const firstResponseCritical = t.firstResponseTime.critical;
  const ttfvSteps: Step[] = [
    { value: null, color: 'green' },
    { value: ttfv.slow, color: 'orange' },
    { value: ttfv.tooSlow, color: 'red' },
  ];

  return buildBoard({
    uid: dashboardUids.customerSuccess,
    title: titleOf('customerSuccess'),
    description:
      'Customer health, engagement, satisfaction and support: for customer success teams, to manage relationships proactively and prevent churn. Daily: critical health scores, open tickets, CSAT; weekly: at-risk customers and adoption; monthly: NPS.',
    tags: ['chom', 'customer-success', 'kpi'],
    timeFrom: 'now-30d',
    variables: [
      filterVariable({
        name: 'priority',
        label: 'Ticket priority',
        description: 'Ticket priorities shown in the ticket volume panels.',
        query: q.priorityValues,
      }),
    ],
    rows: [
      {
        title: 'Customer health',
        cells: [
          gaugePanel({
            title: 'Mean health score',
            description: `Average health score (0-100) of all scored organizations, a composite of product usage, feature adoption, support load, payment history and engagement. 80-100 excellent (upsell, ask for a referral), 60-80 healthy, 40-60 at risk (proactive outreach), below ${bands.critical} critical (intervene now; the KPI config's critical threshold).`,
            unit: units.score,
            queries: [{ expr: q.healthScoreMean, legend: 'Mean health score' }],
            thresholds: healthScoreSteps(kpi),
            min: 0,
            max: 100,
            decimals: 0,
            width: 5,
            height: 9,
          }),
          pieChartPanel({
            title: 'Organizations by health band',
            description: `How many organizations are in each health band: critical (below ${bands.critical}), at risk (${bands.critical}-${bands.healthy}), healthy (${bands.healthy}-${bands.excellent}) and excellent (${bands.excellent} and above). The share of critical and at-risk accounts is the churn exposure of the customer base.`,
            unit: units.count,
            queries: [
              {
                expr: q.organizationsByHealthBand,
                legend: '{{band}}',
                instant: true,
              },
            ],
            overrides: [
              override.byName('critical', [fixedColor('red')]),
              override.byName('at_risk', [fixedColor('orange'), displayName('at risk')]),
              override.byName('healthy', [fixedColor('green')]),
              override.byName('excellent', [fixedColor('blue')]),
            ],
            width: 7,
            height: 9,
          }),
          tablePanel({
            title: 'At-risk organizations (lowest health scores)',
            description: `Organizations scoring below ${bands.healthy}, lowest first: the outreach list. Critical customers (below ${bands.critical}): schedule a call within 24 hours; at-risk customers: send an engagement campaign. The exporter lists only the lowest-scoring organizations (a bounded number); "Organizations by health band" counts all of them.`,
            unit: units.score,
            queries: [
              {
                expr: q.atRiskOrganizations(bands.healthy),
                legend: '{{organization}}',
                instant: true,
                table: true,
              },
            ],
            thresholds: healthScoreSteps(kpi),
            decimals: 0,
            transformations: [
              {
                id: 'organize',
                options: {
                  excludeByName: { Time: true },
                  renameByName: { organization: 'Organization', Value: 'Health score' },
                },
              },
            ],
            overrides: [
              override.byName('Health score', [
                { id: 'custom.cellOptions', value: { type: 'color-background' } },
              ]),
            ],
            width: 12,
            height: 9,
          }),
          timeSeriesPanel({
            title: 'Health score over time',
            description: `Mean health score of all scored organizations over the period shown (seed 002 "health score trend"): a falling line is churn risk building up before it shows in revenue. The dashed lines are the band limits (${bands.critical}: critical, the alert threshold; ${bands.healthy}; ${bands.excellent}).`,
            unit: units.score,
            queries: [{ expr: q.healthScoreMean, legend: 'Mean health score' }],
            thresholds: healthScoreSteps(kpi),
            thresholdLines: true,
            min: 0,
            max: 100,
            width: 12,
            height: 7,
          }),
          timeSeriesPanel({
            title: 'Organizations by health band over time',
            description:
              'How many organizations were in each health band over the period shown, stacked: whether at-risk and critical accounts grow or shrink (organizations moving between bands).',
            unit: units.count,
            queries: [{ expr: q.organizationsByHealthBand, legend: '{{band}}' }],
            stacked: true,
            overrides: [
              override.byName('critical', [fixedColor('red')]),
              override.byName('at_risk', [fixedColor('orange'), displayName('at risk')]),
              override.byName('healthy', [fixedColor('green')]),
              override.byName('excellent', [fixedColor('blue')]),
            ],
            width: 12,
            height: 7,
          }),
        ],
      },
      {
        title: 'Satisfaction',
        cells: [
          gaugePanel({
            title: 'Net Promoter Score',
            description: `Loyalty: % promoters (9-10) minus % detractors (0-6) over the last 90 days, from -100 to 100. Above 70 world-class, 50-70 excellent, 30-50 good, 0-30 needs improvement, below 0 critical. Red below ${t.nps.critical}, orange below ${t.nps.warning} (alert thresholds). Follow up with detractors immediately.`,
            unit: units.score,
            queries: [{ expr: q.nps, legend: 'NPS' }],
            thresholds: below(t.nps),
            min: -100,
            max: 100,
            decimals: 0,
            width: 6,
            height: 7,
          }),
          barGaugePanel({
            title: 'NPS responses by category',
            description:
              'Survey answers over the last 90 days: promoters (9-10, enthusiastic), passives (7-8, satisfied but not enthusiastic) and detractors (0-6, unhappy). NPS is the promoter share minus the detractor share.',
            unit: units.count,
            queries: [
              {
                expr: q.npsResponsesByCategory,
                legend: '{{category}}',
                instant: true,
              },
            ],
            overrides: [
              override.byName('promoter', [fixedColor('green')]),
              override.byName('passive', [fixedColor('yellow')]),
              override.byName('detractor', [fixedColor('red')]),
            ],
            width: 6,
            height: 7,
          }),
          gaugePanel({
            title: 'CSAT',
            description: `Customer satisfaction with specific interactions (support, onboarding, billing): mean rating from 1 to 5 over the last 90 days. 4.5+ excellent, 4.0-4.5 good, 3.5-4.0 acceptable, below 3.5 concerning; orange below ${t.csat.warning} (the alert threshold). Unlike NPS it measures touchpoints, not overall loyalty.`,
            unit: units.score,
            queries: [{ expr: q.csat, legend: 'CSAT' }],
            thresholds: below(t.csat),
            min: 1,
            max: 5,
            decimals: 2,
            width: 6,
            height: 7,
          }),
          timeSeriesPanel({
            title: 'Survey responses (90 days)',
            description:
              'How many NPS and CSAT answers the scores above rest on. Few answers make the scores noisy.',
            unit: units.count,
            queries: [
              { expr: q.npsResponses, legend: 'NPS responses' },
              { expr: q.csatResponses, legend: 'CSAT responses' },
            ],
            width: 6,
            height: 7,
          }),
        ],
      },
      {
        title: 'Engagement and adoption',
        cells: [
          statPanel({
            title: 'Engagement score',
            description:
              'Mean engagement score (0-100) of organizations with users over the last 30 days, from session frequency, session length and feature breadth. High engagement correlates with retention: low or falling engagement is an early warning (trigger a re-engagement campaign); high engagement is an expansion opportunity.',
            unit: units.score,
            queries: [{ expr: q.engagementScore, legend: 'Engagement' }],
            min: 0,
            max: 100,
            decimals: 0,
            width: 4,
            height: 6,
          }),
          statPanel({
            title: 'Mean session duration',
            description: `Average length of finished sessions started in the last 30 days: time spent in the product per visit. Red below ${t.sessionDuration.critical ?? '-'} s, orange below ${t.sessionDuration.warning ?? '-'} s (the alert thresholds, seed 003).`,
            unit: units.seconds,
            queries: [{ expr: q.sessionDuration, legend: 'Session duration' }],
            thresholds: below(t.sessionDuration),
            width: 4,
            height: 6,
          }),
          statPanel({
            title: 'Actions per session',
            description:
              'Average number of actions per finished session in the last 30 days: depth of use per visit.',
            unit: units.count,
            queries: [{ expr: q.actionsPerSession, legend: 'Actions per session' }],
            decimals: 1,
            width: 4,
            height: 6,
          }),
          timeSeriesPanel({
            title: 'Logins per hour',
            description:
              'User logins per hour. A falling login rate precedes churn; spikes follow launches and campaigns.',
            unit: units.count,
            queries: [
              {
                expr: q.loginsPerHour,
                legend: 'Logins per hour',
              },
            ],
            width: 12,
            height: 6,
          }),
          barGaugePanel({
            title: 'Feature adoption (30 days)',
            description:
              'Share of active organizations that used each feature in the last 30 days. Core features should be above 80%; 30-50% is typical for advanced features; track the growth of new ones. Low adoption: improve discoverability and in-app guidance.',
            unit: units.ratio,
            queries: [
              {
                expr: q.featureAdoption,
                legend: '{{feature}}',
                instant: true,
              },
            ],
            min: 0,
            max: 1,
            width: 8,
            height: 8,
          }),
          barGaugePanel({
            title: 'Users per feature (30 days)',
            description:
              'Distinct users who used each feature in the last 30 days: validates product priorities and shows training opportunities.',
            unit: units.count,
            queries: [
              {
                expr: q.featureUsers,
                legend: '{{feature}}',
                instant: true,
              },
            ],
            width: 8,
            height: 8,
          }),
          timeSeriesPanel({
            title: 'Feature uses per hour',
            description:
              'Uses of each feature per hour, over time: shows whether a launch or a campaign changed usage.',
            unit: units.count,
            queries: [
              {
                expr: q.featureUsesPerHour,
                legend: '{{feature}}',
              },
            ],
            width: 8,
            height: 8,
          }),
        ],
      },
      {
        title: 'Support',
        cells: [
          tablePanel({
            title: 'Tickets by status and priority',
            description:
              'Support tickets in each status (open, in progress, resolved) by priority. A growing open or in-progress column means the team falls behind.',
            unit: units.count,
            queries: [
              {
                expr: q.ticketsByStatusAndPriority,
                legend: '{{priority}} {{status}}',
                instant: true,
                table: true,
              },
            ],
            transformations: [
              {
                id: 'groupingToMatrix',
                options: {
                  rowField: 'priority',
                  columnField: 'status',
                  valueField: 'Value',
                  emptyValue: 'zero',
                },
              },
              {
                id: 'organize',
                options: {
                  indexByName: {
                    'priority\\status': 0,
                    open: 1,
                    in_progress: 2,
                    resolved: 3,
                  },
                  renameByName: {
                    'priority\\status': 'Priority',
                    open: 'Open',
                    in_progress: 'In progress',
                    resolved: 'Resolved',
                  },
                },
              },
            ],
            width: 8,
            height: 7,
          }),
          timeSeriesPanel({
            title: 'New tickets per hour by priority',
            description:
              'Incoming support tickets per hour. A spike points to a product issue or a confusing feature; a decline to a better product or documentation.',
            unit: units.count,
            queries: [
              {
                expr: q.newTicketsPerHour,
                legend: '{{priority}}',
              },
            ],
            stacked: true,
            width: 10,
            height: 7,
          }),
          statPanel({
            title: 'Tickets per customer (30 days)',
            description: `New tickets over 30 days per paying customer: how much support the product needs. Healthy below ${t.ticketsPerCustomer.warning} a month; orange above (the alert threshold).`,
            unit: units.multiple,
            queries: [
              {
                expr: q.ticketsPerCustomer30d,
                legend: 'Tickets per customer',
              },
            ],
            thresholds: above(t.ticketsPerCustomer),
            decimals: 2,
            width: 6,
            height: 7,
          }),
          barGaugePanel({
            title: 'Mean resolution time by priority vs SLA',
            description: `Average time from creation to resolution of the tickets resolved in the last 30 days, by priority. A bar turns red when it exceeds the SLA of its priority (KPI config: ${slaList}). Missing SLAs: consider staffing or process changes.`,
            unit: units.seconds,
            queries: priorities.map((p) => ({
              expr: q.resolutionTime(p),
              legend: `${p} (SLA ${hours(sla[p])})`,
              instant: true,
            })),
            overrides: priorities.map((p, index) =>
              override.byQuery(String.fromCharCode(65 + index), [
                thresholdsProperty(above({ warning: null, critical: sla[p] })),
              ]),
            ),
            width: 12,
            height: 7,
          }),
          barGaugePanel({
            title: 'Mean first response time by priority',
            description: `Average time from ticket creation to the first agent response, for tickets first answered in the last 30 days. Customers value a quick acknowledgement even when resolution takes longer: target below ${hours(seedBenchmarks.firstResponseSeconds)} for every priority (seed 002; orange above), red above ${firstResponseCritical === null ? '-' : hours(firstResponseCritical)} (ChomSupportFirstResponseSlow, seed 004's red flag).`,
            unit: units.seconds,
            queries: priorities.map((p) => ({
              expr: q.firstResponseTime(p),
              legend: p,
              instant: true,
            })),
            thresholds: above({
              warning: seedBenchmarks.firstResponseSeconds,
              critical:
                firstResponseCritical !== null &&
                firstResponseCritical > seedBenchmarks.firstResponseSeconds
                  ? firstResponseCritical
                  : null,
            }),
            width: 12,
            height: 7,
          }),
        ],
      },
      {
        title: 'Time to value',
        cells: [
          statPanel({
            title: 'Time to first value',
            description: `Mean time from signup to the first success milestone, for users who signed up in the last 90 days and reached it. Faster time to value means higher retention: under 1 day excellent, 1-3 days good, over 7 days needs improvement (orange from 3 days, red from 7). Speed it up with demo data, guided quick starts and setup assistants.`,
            unit: units.seconds,
            queries: [{ expr: q.timeToFirstValue, legend: 'Time to first value' }],
            thresholds: ttfvSteps,
            width: 6,
            height: 6,
          }),
          statPanel({
            title: 'New users who reached first value',
            description:
              'Share of the users who signed up in the last 90 days who reached the first value milestone. Time to first value only counts those who did; this shows how many never got there.',
            unit: units.ratio,
            queries: [{ expr: q.firstValueReached, legend: 'Reached first value' }],
            decimals: 1,
            width: 6,
            height: 6,
          }),
          timeSeriesPanel({
            title: 'Time to first value over time',
            description:
              'Mean time to first value over time: shows whether onboarding changes made users succeed sooner. The dashed lines are 3 and 7 days.',
            unit: units.seconds,
            queries: [{ expr: q.timeToFirstValue, legend: 'Time to first value' }],
            thresholds: ttfvSteps,
            thresholdLines: true,
            width: 12,
            height: 6,
          }),
        ],
      },
    ],
  });
}
