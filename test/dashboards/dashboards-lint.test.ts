import { readFileSync } from 'node:fs';
import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { collectors } from '../../src/collectors/index.js';
import { datasourceRef } from '../../src/dashboards/common.js';
import { dashboards } from '../../src/dashboards/index.js';
import { alertRules } from '../../src/kpi/alert-rules.js';
import { dashboardUids, datasourceUid } from '../../src/kpi/ids.js';
import { recordingRules } from '../../src/kpi/recording-rules.js';
import { selfMetricSpecs } from '../../src/metrics/self-metrics.js';
import { pendingSourceMetrics } from '../helpers/pending-source-metrics.js';
import { exclusions, isExcluded } from './lint-exclusions.js';
import {
  allPanels,
  allQueries,
  boards,
  dataPanels,
  expand,
  isPerReplica,
  isRow,
  labelValuesQuery,
  targetsOf,
  variablesOf,
} from './model.js';
import { aggregationsDropping, analyse, uncollapsedSelectors } from './promql.js';

const { kpi } = parseConfig({});
const root = new URL('../../', import.meta.url);

/** Sentinel windows (as grafana/dashboard-linter expands them) so the rate-interval rule can tell them apart. */
const sentinels = { rateInterval: '8869990787ms', range: '6969690787ms' };
const expandForLint = (expr: string, board: Dashboard) => expand(expr, board, sentinels);

const exporterMetrics = [...collectors.flatMap((c) => c.metrics), ...selfMetricSpecs];
const metricTypes = new Map(exporterMetrics.map((m) => [m.name, m.type]));
const recordedNames = new Set(recordingRules(kpi).map((rule) => rule.record));
const pending = new Set(pendingSourceMetrics);
/** Series Prometheus writes for every scrape target, which the Exporter health board reads. */
const scrapeSeries = new Set([
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_series_added',
]);

/** Metric names a label_values selector reads: its name, or the alternatives of a __name__ regex. */
function selectorMetrics(selector: string): string[] {
  const byName = /^\{__name__=~"([a-z0-9_|]+)"\}$/.exec(selector);
  if (byName) return (byName[1] as string).split('|');
  return analyse(selector).selectors.map((s) => s.metric ?? '');
}
const rangeFunctions = ['rate', 'irate', 'increase'];

/** Grafana unit ids the boards may use (a subset of Grafana's unit registry). */
const grafanaUnits = new Set([
  'none',
  'short',
  'percent',
  'percentunit',
  'currencyUSD',
  'currencyEUR',
  'currencyGBP',
  's',
  'ms',
  'm',
  'h',
  'd',
  'dtdurations',
  'dtdhms',
  'reqps',
  'ops',
  'cps',
  'cpm',
  'bool',
  'bytes',
]);

const boardCases = boards.map((b) => [b.dashboard.uid ?? '', b] as const);
const panelCases = boards.flatMap(({ dashboard }) =>
  dataPanels(dashboard).map(
    (panel) => [dashboard.uid ?? '', panel.title ?? '', panel, dashboard] as const,
  ),
);
const queryCases = allQueries().map((q) => [q.board, q.panel, q.refId, q] as const);

describe('dashboards: grafana/dashboard-linter rules', () => {
  it.each(boardCases)('%s: uneditable-dashboard (editable: false)', (_, { dashboard }) => {
    expect(dashboard.editable).toBe(false);
  });

  it.each(boardCases)(
    '%s: template-datasource-rule (one Prometheus `datasource` variable, labelled "Data source")',
    (_, { dashboard }) => {
      const datasources = variablesOf(dashboard).filter((v) => v.type === 'datasource');
      expect(datasources).toHaveLength(1);
      expect(datasources[0]).toMatchObject({
        name: 'datasource',
        label: 'Data source',
        query: 'prometheus',
        current: { value: datasourceUid },
      });
    },
  );

  it.each(boardCases)(
    '%s: template-on-time-change-reload-rule (query variables refresh on time range change, read the datasource variable)',
    (_, { dashboard }) => {
      for (const variable of variablesOf(dashboard).filter((v) => v.type === 'query')) {
        expect(variable.refresh, variable.name).toBe(2);
        expect(variable.datasource, variable.name).toEqual(datasourceRef);
      }
    },
  );

  it.each(boardCases)(
    '%s: template-label-promql-rule (label_values selectors parse and name exported metrics)',
    (_, { dashboard }) => {
      for (const variable of variablesOf(dashboard).filter((v) => v.type === 'query')) {
        const parsed = labelValuesQuery(variable.query);
        expect(parsed, `${variable.name}: ${String(variable.query)}`).toBeDefined();
        const selector = expandForLint(parsed?.selector ?? '', dashboard);
        expect(analyse(selector).errors, variable.name).toEqual([]);
        const metrics = selectorMetrics(selector);
        expect(metrics.length, variable.name).toBeGreaterThan(0);
        for (const metric of metrics) {
          expect(metricTypes.has(metric), `${variable.name}: ${metric}`).toBe(true);
        }
      }
    },
  );

  it.each(panelCases)(
    '%s / %s: panel-datasource-rule (panel and every target read the datasource variable)',
    (_, __, panel) => {
      expect(panel.datasource).toEqual(datasourceRef);
      for (const target of targetsOf(panel)) {
        expect(target.datasource, target.refId).toEqual(datasourceRef);
      }
    },
  );

  it.each(panelCases)(
    '%s / %s: panel-title-description-rule (title and a real description)',
    (_, __, panel) => {
      expect(panel.title?.trim()).toBeTruthy();
      expect(panel.description?.length ?? 0).toBeGreaterThan(60);
    },
  );

  it.each(panelCases)('%s / %s: panel-units-rule (a valid unit)', (_, __, panel) => {
    expect(grafanaUnits).toContain(panel.fieldConfig?.defaults?.unit);
  });

  it.each(panelCases)('%s / %s: panel-no-targets-rule', (_, __, panel) => {
    expect(targetsOf(panel).length).toBeGreaterThan(0);
    for (const target of targetsOf(panel)) expect(target.expr?.trim()).toBeTruthy();
  });

  it.each(queryCases)(
    '%s / %s / %s: target-promql-rule (parses with lezer-promql after variable expansion)',
    (_, __, ___, query) => {
      expect(analyse(expandForLint(query.expr, query.dashboard)).errors, query.expr).toEqual([]);
    },
  );

  it.each(queryCases)(
    '%s / %s / %s: target-rate-interval-rule (rate/irate/increase over $__rate_interval)',
    (board, panel, _, query) => {
      const { selectors } = analyse(expandForLint(query.expr, query.dashboard));
      const allowed = [sentinels.rateInterval];
      if (isExcluded('target-rate-interval-rule', board, panel)) allowed.push(sentinels.range);
      for (const selector of selectors.filter((s) =>
        rangeFunctions.includes(s.rangeFunction ?? ''),
      )) {
        expect(
          allowed,
          `${selector.rangeFunction}(${selector.metric}[${selector.range}])`,
        ).toContain(selector.range);
      }
    },
  );

  it.each(queryCases)(
    '%s / %s / %s: target-counter-agg-rule (counters only inside rate/irate/increase)',
    (_, __, ___, query) => {
      for (const selector of analyse(expandForLint(query.expr, query.dashboard)).selectors) {
        const counter =
          selector.metric?.endsWith('_total') ||
          metricTypes.get(selector.metric ?? '') === 'counter';
        if (counter) expect(rangeFunctions, selector.metric).toContain(selector.rangeFunction);
      }
    },
  );

  it.each(queryCases)(
    '%s / %s / %s: collapses replicas (max without (instance, pod), or max by) before any sum or arithmetic, or keeps every replica apart on the Exporter health board',
    (_, __, ___, query) => {
      const expr = expandForLint(query.expr, query.dashboard);
      if (isPerReplica(query)) {
        // About each replica's own process: one series per replica, never added up.
        expect(aggregationsDropping(expr, 'instance'), query.expr).toEqual([]);
        return;
      }
      expect(uncollapsedSelectors(expr), query.expr).toEqual([]);
    },
  );

  it('lists a reason for every exclusion, and every entry names a panel that needs it', () => {
    for (const [rule, exclusion] of Object.entries(exclusions)) {
      expect(exclusion.reason.length, rule).toBeGreaterThan(40);
      for (const entry of exclusion.entries ?? []) {
        const board = boards.find((b) => b.dashboard.uid === entry.dashboard)?.dashboard;
        const panel = board && dataPanels(board).find((p) => p.title === entry.panel);
        expect(panel, `${rule}: ${entry.dashboard} / ${entry.panel}`).toBeDefined();
        const exprs = targetsOf(panel as Panel).map((t) => t.expr ?? '');
        expect(
          exprs.some((e) => e.includes('[$__range]')),
          entry.panel,
        ).toBe(true);
      }
    }
  });
});

describe('dashboards: structure', () => {
  it('has the four boards with the uids the alert rules link to, unique titles and files', () => {
    expect(boards.map((b) => b.dashboard.uid)).toEqual([
      dashboardUids.business,
      dashboardUids.customerSuccess,
      dashboardUids.growth,
      dashboardUids.exporter,
    ]);
    expect(new Set(boards.map((b) => b.dashboard.title)).size).toBe(4);
    expect(new Set(boards.map((b) => b.path)).size).toBe(4);
    for (const { dashboard } of boards) {
      expect(dashboard.uid).toMatch(/^[a-z0-9-]{8,40}$/);
    }
  });

  it.each(boardCases)(
    '%s: is the classic model for file provisioning',
    (_, { path, dashboard }) => {
      const text = readFileSync(new URL(path, root), 'utf8');
      expect(dashboard.schemaVersion).toBe(42);
      expect(text).not.toContain('__inputs');
      expect(text).not.toContain('${DS_');
      expect(text).not.toContain('"apiVersion"');
      expect(dashboard.id ?? null).toBeNull();
    },
  );

  it.each(boardCases)('%s: unique panel ids (rows included) and refIds', (_, { dashboard }) => {
    const ids = allPanels(dashboard).map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id) && (id ?? 0) > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dataPanels(dashboard)) {
      const refIds = targetsOf(panel).map((t) => t.refId);
      expect(refIds, panel.title).toEqual(refIds.map((_, i) => String.fromCharCode(65 + i)));
    }
  });

  it.each(boardCases)(
    '%s: panels inside the 24-column grid, none overlapping',
    (_, { dashboard }) => {
      const boxes = allPanels(dashboard).map((panel) => ({ title: panel.title, ...panel.gridPos }));
      for (const box of boxes) {
        const { x = -1, y = -1, w = 0, h = 0 } = box;
        expect(x >= 0 && y >= 0 && w >= 1 && h >= 1 && x + w <= 24, `${box.title}`).toBe(true);
      }
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) {
          const overlap =
            (a.x ?? 0) < (b.x ?? 0) + (b.w ?? 0) &&
            (b.x ?? 0) < (a.x ?? 0) + (a.w ?? 0) &&
            (a.y ?? 0) < (b.y ?? 0) + (b.h ?? 0) &&
            (b.y ?? 0) < (a.y ?? 0) + (a.h ?? 0);
          expect(overlap, `${a.title} overlaps ${b.title}`).toBe(false);
        }
      }
    },
  );

  it.each(boardCases)('%s: rows span the grid and start each section', (_, { dashboard }) => {
    const rows = (dashboard.panels ?? []).filter(isRow);
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(row.gridPos).toMatchObject({ x: 0, w: 24, h: 1 });
    expect(isRow((dashboard.panels ?? [])[0] as Panel)).toBe(true);
  });

  it.each(panelCases)(
    '%s / %s: thresholds start at null (-infinity) and ascend; single-value panels reduce with lastNotNull',
    (_, __, panel) => {
      const overridden = (panel.fieldConfig?.overrides ?? []).flatMap((o) =>
        o.properties.filter((p) => p.id === 'thresholds').map((p) => p.value?.steps ?? []),
      ) as { value: number | null }[][];
      for (const steps of [panel.fieldConfig?.defaults?.thresholds?.steps ?? [], ...overridden]) {
        expect(steps.length).toBeGreaterThan(0);
        expect(steps[0]?.value).toBeNull();
        const values = steps.slice(1).map((s) => s.value as number);
        expect(values).toEqual([...values].sort((a, b) => a - b));
        expect(new Set(values).size).toBe(values.length);
      }
      if (['stat', 'gauge', 'bargauge', 'piechart'].includes(panel.type)) {
        expect(
          (panel.options as { reduceOptions?: { calcs?: string[] } }).reduceOptions?.calcs,
        ).toEqual(['lastNotNull']);
      }
    },
  );

  it.each(panelCases.filter(([, , panel]) => ['stat', 'gauge'].includes(panel.type)))(
    '%s / %s: a stat or gauge shows now or nothing (instant queries, no stale lastNotNull over a range)',
    (_, __, panel) => {
      for (const target of targetsOf(panel)) {
        expect(target, target.refId).toMatchObject({ instant: true, range: false });
      }
    },
  );

  it.each(boardCases)('%s: shows time in UTC, as month boundaries are', (_, { dashboard }) => {
    expect(dashboard.timezone).toBe('utc');
  });

  it('orders the cohort table columns by month (M00, M01, ..., M12, not M00, M01, M10)', () => {
    const growth = boards.find((b) => b.dashboard.uid === dashboardUids.growth)?.dashboard;
    const table = growth && dataPanels(growth).find((p) => p.title?.startsWith('Cohort retention'));
    const organize = (table?.transformations ?? []).find((t) => t.id === 'organize');
    const order = (organize?.options as { indexByName?: Record<string, number> } | undefined)
      ?.indexByName;
    expect(order).toBeDefined();
    if (!order) return;
    const columns = Object.keys(order).sort((a, b) => (order[a] ?? 0) - (order[b] ?? 0));
    expect(columns.slice(0, 14)).toEqual([
      'cohort\\month',
      ...Array.from({ length: 13 }, (_, m) => `M${m < 10 ? '0' : ''}${m}`),
    ]);
  });

  it.each(boardCases)(
    '%s: variables are used, multi-value ones only as =~"$name"',
    (_, { dashboard }) => {
      const text = JSON.stringify({ panels: dashboard.panels, variables: variablesOf(dashboard) });
      for (const variable of variablesOf(dashboard)) {
        expect(text, variable.name).toMatch(new RegExp(`\\$(\\{)?${variable.name}\\b`));
        if (variable.type !== 'query') continue;
        if (variable.multi) {
          expect(variable).toMatchObject({ includeAll: true, allValue: '.*' });
          for (const { expr } of allQueries().filter((q) => q.dashboard === dashboard)) {
            for (const use of expr.matchAll(new RegExp(`(.{3})"\\$${variable.name}"`, 'g'))) {
              expect(use[1], expr).toMatch(/=~$/);
            }
          }
        }
      }
    },
  );

  it('links every alert about the exporter to the Exporter health board, every other alert to an existing board', () => {
    for (const rule of alertRules(kpi)) {
      if (rule.alert === 'ChomWatchdog') continue;
      const expected = rule.team === 'sre' ? 'exporter' : rule.dashboard;
      expect(rule.dashboard, rule.alert).toBe(expected);
      expect(
        boards.map((b) => b.key),
        rule.alert,
      ).toContain(rule.dashboard);
    }
  });

  it.each(boardCases)(
    '%s: links to the other boards, keeping time and variables',
    (_, { dashboard }) => {
      const others = Object.values(dashboardUids).filter((uid) => uid !== dashboard.uid);
      const links = dashboard.links ?? [];
      expect(links.map((l) => l.url)).toEqual(others.map((uid) => `/d/${uid}`));
      for (const link of links) expect(link).toMatchObject({ keepTime: true, includeVars: true });
    },
  );

  it('money panels never carry a currency symbol: the currency is in the title or legend', () => {
    for (const [, title, panel] of panelCases) {
      const exprs = targetsOf(panel).map((t) => t.expr ?? '');
      if (!exprs.some((e) => /currency="\$currency"/.test(e))) continue;
      const unit = panel.fieldConfig?.defaults?.unit ?? '';
      expect(unit.startsWith('currency'), title).toBe(false);
      const legends = targetsOf(panel).map(
        (t) => (t as { legendFormat?: string }).legendFormat ?? '',
      );
      const named = title.includes('$currency') || legends.every((l) => l.includes('{{currency}}'));
      if (unit === 'short') expect(named, title).toBe(true);
    }
  });
});

describe('dashboards: metrics', () => {
  it.each(queryCases)(
    '%s / %s / %s: references only exported metrics, recording rules and pending source metrics (and, on the Exporter health board, the scrape series of Prometheus)',
    (_, __, ___, query) => {
      for (const { metric } of analyse(expandForLint(query.expr, query.dashboard)).selectors) {
        expect(metric, query.expr).toBeDefined();
        const known =
          metricTypes.has(metric ?? '') ||
          recordedNames.has(metric ?? '') ||
          pending.has(metric ?? '') ||
          (query.board === dashboardUids.exporter && scrapeSeries.has(metric ?? ''));
        expect(known, `${metric} in ${query.expr}`).toBe(true);
      }
    },
  );

  it('lists as pending only source metrics no collector exports yet, and that rules or boards read (remove them when exported)', () => {
    expect(pendingSourceMetrics.filter((name) => metricTypes.has(name))).toEqual([]);
    const read = new Set(
      [
        ...recordingRules(kpi).map((rule) => rule.expr),
        ...allQueries().map((q) => expandForLint(q.expr, q.dashboard)),
      ].flatMap((expr) => analyse(expr).selectors.map((s) => s.metric)),
    );
    expect(pendingSourceMetrics.filter((name) => !read.has(name))).toEqual([]);
  });

  it('shows every metric of the seed contract on some board', () => {
    const used = new Set(
      allQueries().flatMap((q) =>
        analyse(expandForLint(q.expr, q.dashboard)).selectors.map((s) => s.metric),
      ),
    );
    const recordedFrom = recordingRules(kpi).filter((rule) => used.has(rule.record));
    const viaRules = new Set(
      recordedFrom.flatMap((rule) => analyse(rule.expr).selectors.map((s) => s.metric)),
    );
    const seedMetrics = exporterMetrics.filter((m) => m.seedName).map((m) => m.name);
    const missing = seedMetrics.filter((name) => !used.has(name) && !viaRules.has(name));
    expect(missing).toEqual([]);
  });

  it('takes thresholds from the KPI config, money thresholds per currency', () => {
    const custom = parseConfig({
      kpi: {
        thresholds: {
          churnRate: { warning: 0.11, critical: 0.13 },
          nps: { warning: 42 },
          mrr: { warning: 98765, critical: 87654 },
          dau: { warning: 1234, critical: 1111 },
          sessionDuration: { warning: 321, critical: 123 },
          marketingEfficiency: { warning: 1.37 },
          monthlyLeads: { warning: 23 },
          funnelStageDrop: { warning: 0.45 },
          emailOpenRate: { warning: 0.13 },
          firstResponseTime: { critical: 17777 },
          weeklySignups: { warning: 31, critical: 29 },
        },
        targets: { dauMau: 0.37, referralsPerActiveUser: 0.77, emailOpenRate: 0.29 },
        moneyThresholds: {
          EUR: { cac: { warning: 4567, critical: 5678 }, mrr: { warning: 7654 } },
        },
        resolutionSlaSeconds: { critical: 4321 },
        maxCustomerLifetimeMonths: 47,
      },
    }).kpi;
    const text = JSON.stringify(dashboards(custom));
    const defaults = JSON.stringify(dashboards(kpi));
    for (const value of [
      '0.11',
      '0.13',
      '"value":42',
      '4321',
      '4567',
      '5678',
      '47 months',
      '"value":98765',
      '"value":87654',
      '"value":7654',
      '"value":1234',
      '"value":1111',
      '"value":321',
      '"value":123',
      '"value":1.37',
      '"value":23',
      '"value":-0.45',
      '"value":17777',
      '"value":31',
      '"value":29',
      '"value":0.37',
      '"value":0.77',
      '"value":0.29',
    ]) {
      expect(text, value).toContain(value);
      expect(defaults, value).not.toContain(value);
    }
  });

  it('colours CAC by the thresholds of its own currency, and money panels never by a fixed amount', () => {
    const custom = parseConfig({
      kpi: { moneyThresholds: { EUR: { cac: { warning: 400, critical: 500 } } } },
    }).kpi;
    const business = dashboards(custom).find((b) => b.key === 'business')?.dashboard;
    const cac = business && dataPanels(business).find((p) => p.title === 'CAC ($currency)');
    expect(cac?.fieldConfig?.defaults?.thresholds?.steps).toEqual([{ value: null, color: 'text' }]);
    const byName = Object.fromEntries(
      (cac?.fieldConfig?.overrides ?? []).map((o) => [
        o.matcher.options,
        o.properties.find((p) => p.id === 'thresholds')?.value?.steps,
      ]),
    );
    expect(byName).toEqual({
      'CAC (USD)': [
        { value: null, color: 'green' },
        { value: 60, color: 'orange' },
        { value: 75, color: 'red' },
      ],
      'CAC (EUR)': [
        { value: null, color: 'green' },
        { value: 400, color: 'orange' },
        { value: 500, color: 'red' },
      ],
    });
    // The MRR target is read from chom_kpi_target in the panel's currency, not written in.
    const mrr = business && dataPanels(business).find((p) => p.title === 'MRR ($currency)');
    expect(JSON.stringify(mrr)).not.toContain(String(custom.mrrTargetDefault));
    expect(targetsOf(mrr as Panel).map((t) => t.expr)).toContain(
      'max by (currency) (chom_kpi_target{kpi="mrr", currency="$currency"})',
    );
    expect(mrr?.transformations).toEqual([
      {
        id: 'configFromData',
        options: {
          configRefId: 'B',
          mappings: [
            {
              fieldName: 'Target',
              handlerKey: 'threshold1',
              handlerArguments: { threshold: { color: 'green' } },
            },
          ],
        },
      },
    ]);
  });
});
