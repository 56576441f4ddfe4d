import type { KpiConfig } from '../kpi/kpi-config.js';
import { businessKpiQueries as q } from './business-kpi.queries.js';
import {
  barGaugePanel,
  override,
  type Row,
  tablePanel,
  thresholdsProperty,
  unitProperty,
  units,
} from './common.js';
import { above, pct } from './thresholds.js';

/**
 * Seed 004's "by Plan Type" table: customers, MRR, ARPA, churn and LTV per
 * tier, in the selected currency. Rows are whatever tiers the billing_mrr
 * collector reports (its `tiers.values`), never a fixed list.
 */
export function plansRow(kpi: KpiConfig): Row {
  const t = kpi.thresholds;
  const churnSteps = above(t.churnRate);
  return {
    title: 'Plans: customers, churn and lifetime value ($currency)',
    cells: [
      tablePanel({
        title: 'Customers, churn and LTV by plan ($currency)',
        description: `One row per pricing tier (the billing source's tier list; Tier filters it): paying customers with MRR on the tier, its MRR, ARPA (MRR / customers), customer churn over the trailing 30 days (customers on the tier 30 days ago who pay nothing now; a move between tiers is not churn), and LTV = ARPA x gross margin (${kpi.grossMargin}) / churn (empty at zero churn). Churn is coloured by the churn alert thresholds (${pct(t.churnRate.warning)}, ${pct(t.churnRate.critical)}). Amounts in the selected currency, never converted.`,
        unit: units.count,
        queries: [
          { expr: q.planCustomers, legend: 'Customers', instant: true, table: true },
          { expr: q.planMrr, legend: 'MRR', instant: true, table: true },
          { expr: q.planArpa, legend: 'ARPA', instant: true, table: true },
          { expr: q.planChurn30d, legend: 'Churn (30 days)', instant: true, table: true },
          { expr: q.planLtv, legend: 'LTV', instant: true, table: true },
        ],
        transformations: [
          { id: 'merge', options: {} },
          {
            id: 'organize',
            options: {
              excludeByName: { Time: true, currency: true, __name__: true },
              indexByName: {
                tier: 0,
                'Value #A': 1,
                'Value #B': 2,
                'Value #C': 3,
                'Value #D': 4,
                'Value #E': 5,
              },
              renameByName: {
                tier: 'Plan',
                'Value #A': 'Customers',
                'Value #B': 'MRR',
                'Value #C': 'ARPA',
                'Value #D': 'Churn (30 days)',
                'Value #E': 'LTV',
              },
            },
          },
        ],
        overrides: [
          override.byRegexp('^(MRR|ARPA|LTV)$', [
            unitProperty(units.money),
            { id: 'decimals', value: 2 },
          ]),
          override.byName('Churn (30 days)', [
            unitProperty(units.ratio),
            { id: 'decimals', value: 1 },
            thresholdsProperty(churnSteps),
            { id: 'custom.cellOptions', value: { type: 'color-text' } },
          ]),
        ],
        width: 16,
        height: 7,
      }),
      barGaugePanel({
        title: 'Customer churn by plan, trailing 30 days ($currency)',
        description: `Customer churn of each tier over the trailing 30 days, in the selected currency: which plans lose customers. Orange from ${pct(t.churnRate.warning)}, red from ${pct(t.churnRate.critical)} (the churn alert thresholds, which judge all plans together).`,
        unit: units.ratio,
        queries: [{ expr: q.planChurn30d, legend: '{{tier}}', instant: true }],
        thresholds: churnSteps,
        decimals: 1,
        min: 0,
        width: 8,
        height: 7,
      }),
    ],
  };
}
