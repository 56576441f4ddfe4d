import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../src/app/config.js';
import { collectors } from '../src/collectors/index.js';
import { alertRulesYaml, recordingRulesYaml } from '../src/generate/prometheus-rules.js';
import { alertRules, runbookAnchor } from '../src/kpi/alert-rules.js';
import { recordingRules } from '../src/kpi/recording-rules.js';
import { selfMetricSpecs } from '../src/metrics/self-metrics.js';
import { analyse, uncollapsedSelectors } from './dashboards/promql.js';
import { pendingSourceMetrics } from './helpers/pending-source-metrics.js';
import { tempDir } from './helpers/processes.js';
import {
  type AlertCase,
  fromReplicaA,
  promtoolTestRules,
  readTestFile,
  writeTwin,
} from './helpers/promtool-rules.js';

const root = new URL('../', import.meta.url);
const path = (relative: string) => fileURLToPath(new URL(relative, root));
const rulesFiles = [
  'prometheus/rules/chom-recording.rules.yml',
  'prometheus/rules/chom-alerts.rules.yml',
];
const testFiles = readdirSync(path('prometheus/tests'))
  .filter((file) => file.endsWith('.test.yml'))
  .sort()
  .map((file) => path(`prometheus/tests/${file}`));
const tests = testFiles.map((file) => ({ file, content: readTestFile(file) }));
const { kpi } = parseConfig({});
const twins = tempDir('chom-promtool-twins-');
afterAll(() => twins.remove());

function promtool(...args: string[]) {
  const result = spawnSync('promtool', args, { encoding: 'utf8', cwd: path('.') });
  if (result.error)
    throw new Error(
      `promtool is not runnable (Debian package prometheus): ${result.error.message}`,
    );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const short = (file: string) => file.slice(path('.').length);
const alertCases = (): AlertCase[] =>
  tests.flatMap(({ content }) => content.tests.flatMap((group) => group.alert_rule_test ?? []));

describe('Prometheus rules', () => {
  it('pass promtool check rules with every lint on', () => {
    const { status, output } = promtool(
      'check',
      'rules',
      '--lint=all',
      '--lint-fatal',
      ...rulesFiles,
    );
    expect(output).not.toMatch(/FAILED|lint error/);
    expect(status).toBe(0);
  });

  // Each file is its own promtool process, side by side (hourly or daily evaluation
  // where the rules allow: promtool evaluates every rule at every step).
  it.concurrent.each(testFiles.map((file) => [short(file), file]))(
    '%s passes its promtool unit tests',
    async (_, file) => {
      const { status, output } = await promtoolTestRules(file);
      expect(output).not.toContain('FAILED');
      expect(status).toBe(0);
    },
    60_000,
  );

  it.concurrent.each(testFiles.map((file) => [short(file), file]))(
    '%s gives the same results with a second replica scraped (equal values, other instance and pod)',
    async (_, file) => {
      const { status, output } = await promtoolTestRules(writeTwin(file, twins.path));
      expect(output).not.toContain('FAILED');
      expect(status).toBe(0);
    },
    60_000,
  );

  it('feed every unit test from raw series of one replica, so the second-replica run covers every rule', () => {
    for (const { file, content } of tests) {
      for (const group of content.tests) {
        for (const { series } of group.input_series ?? []) {
          const raw = /^(chom_[a-z_]+|up)\{/.test(series);
          expect(raw, `${short(file)}: ${series} is not a raw exporter series`).toBe(true);
          expect(fromReplicaA(series), `${short(file)}: ${series}`).toBe(true);
        }
      }
    }
  });

  it('test every recording rule', () => {
    const tested = new Set(
      tests.flatMap(({ content }) =>
        content.tests.flatMap((group) =>
          (group.promql_expr_test ?? []).map((test) => test.expr.replace(/\{.*$/, '')),
        ),
      ),
    );
    const rules = parse(readFileSync(path(rulesFiles[0] as string), 'utf8'));
    const records: string[] = rules.groups.flatMap((g: { rules: { record: string }[] }) =>
      g.rules.map((r) => r.record),
    );
    expect(records.filter((record) => !tested.has(record))).toEqual([]);
  });

  it('have a firing case for every alert and severity, and a quiet case for every alert', () => {
    const cases = alertCases();
    const firing = new Set(
      cases.flatMap((c) =>
        (c.exp_alerts ?? []).map((a) => `${c.alertname}/${a.exp_labels?.severity}`),
      ),
    );
    const quiet = new Set(
      cases.filter((c) => (c.exp_alerts ?? []).length === 0).map((c) => c.alertname),
    );
    const rules = alertRules(kpi);
    expect(rules.map((r) => `${r.alert}/${r.severity}`).filter((key) => !firing.has(key))).toEqual(
      [],
    );
    // The watchdog always fires by design; every other alert must also be shown not to fire.
    expect(
      [...new Set(rules.map((r) => r.alert))].filter((a) => a !== 'ChomWatchdog' && !quiet.has(a)),
    ).toEqual([]);
  });

  it('keep every business alert quiet on a Prometheus with one day of history (fresh-prometheus.test.yml)', () => {
    const fresh = tests.find(({ file }) => file.endsWith('fresh-prometheus.test.yml'));
    const quietThere = new Set(
      (fresh?.content.tests ?? []).flatMap((group) =>
        (group.alert_rule_test ?? [])
          .filter((c) => (c.exp_alerts ?? []).length === 0)
          .map((c) => c.alertname),
      ),
    );
    const business = alertRules(kpi).filter((rule) => rule.team !== 'sre');
    expect(business.map((rule) => rule.alert).filter((alert) => !quietThere.has(alert))).toEqual(
      [],
    );
  });

  it('collapse replicas on every raw chom_* selector before adding or comparing (except alerts about one replica)', () => {
    for (const rule of recordingRules(kpi)) {
      expect(uncollapsedSelectors(rule.expr), rule.record).toEqual([]);
    }
    for (const rule of alertRules(kpi).filter((r) => !r.perReplica)) {
      expect(uncollapsedSelectors(rule.expr), rule.alert).toEqual([]);
    }
  });

  it('read only metrics a collector exports, or pending ones (test/helpers/pending-source-metrics.ts)', () => {
    const exported = new Set([
      ...collectors.flatMap((c) => c.metrics.map((m) => m.name)),
      ...selfMetricSpecs.map((m) => m.name),
      ...pendingSourceMetrics,
    ]);
    const recorded = new Set(recordingRules(kpi).map((rule) => rule.record));
    const exprs = [
      ...recordingRules(kpi).map((rule) => [rule.record, rule.expr]),
      ...alertRules(kpi).map((rule) => [rule.alert, rule.expr]),
    ];
    for (const [name, expr] of exprs) {
      for (const { metric } of analyse(expr as string).selectors) {
        if (!metric || recorded.has(metric) || !metric.startsWith('chom_')) continue;
        expect(exported.has(metric), `${name} reads ${metric}`).toBe(true);
      }
    }
  });

  it('never extrapolate a month from its first days (no days_in_month / day_of_month)', () => {
    for (const file of rulesFiles) {
      expect(readFileSync(path(file), 'utf8')).not.toMatch(/days_in_month|day_of_month/);
    }
  });

  it('link every alert to an existing runbook section', () => {
    const runbooks = readFileSync(path('docs/runbooks.md'), 'utf8');
    const anchors = new Set(
      [...runbooks.matchAll(/^## (\S+)$/gm)].map((m) => runbookAnchor(m[1] as string)),
    );
    const alerts = parse(readFileSync(path(rulesFiles[1] as string), 'utf8'));
    const urls: string[] = alerts.groups.flatMap(
      (g: { rules: { annotations: { runbook_url: string } }[] }) =>
        g.rules.map((r) => r.annotations.runbook_url),
    );
    for (const url of urls) {
      expect(url.startsWith(`${kpi.links.runbookBaseUrl}#`)).toBe(true);
      expect(anchors.has(url.split('#')[1] as string), url).toBe(true);
    }
  });

  it('name alerts in CamelCase with the Chom prefix and label them with severity and team', () => {
    for (const rule of alertRules(kpi)) {
      expect(rule.alert).toMatch(/^Chom[A-Z][A-Za-z]+$/);
      expect(['critical', 'warning', 'info']).toContain(rule.severity);
      expect(['business', 'customer-success', 'growth', 'sre']).toContain(rule.team);
      expect(rule.summary.length).toBeGreaterThan(0);
      expect(rule.description.length).toBeGreaterThan(0);
    }
  });
});

describe('money thresholds per currency (kpi.moneyThresholds)', () => {
  it('fire ChomCacHigh for EUR at the EUR threshold, for USD at the USD one, and never compare across currencies', async () => {
    const custom = parseConfig({
      kpi: { moneyThresholds: { EUR: { cac: { warning: 400, critical: null } } } },
    }).kpi;
    writeFileSync(join(twins.path, 'recording.yml'), recordingRulesYaml(custom));
    writeFileSync(join(twins.path, 'alerts.yml'), alertRulesYaml(custom));
    const raw = (name: string, labels: string) =>
      `${name}{${labels},job="chom-exporter",instance="a:9820",pod="a"}`;
    const cac = (currency: string, spend: number, customers: number) => [
      {
        series: raw('chom_marketing_spend', `channel="paid",window="30d",currency="${currency}"`),
        values: `${spend}x26`,
      },
      {
        series: raw(
          'chom_customers_acquired_in_window',
          `channel="paid",window="30d",currency="${currency}"`,
        ),
        values: `${customers}x26`,
      },
    ];
    const annotations = (summary: string, description: string) => ({
      summary,
      description,
      runbook_url: `${custom.links.runbookBaseUrl}#chomcachigh`,
      dashboard_url: `${custom.links.grafanaUrl}/d/chom-growth-marketing`,
    });
    const file = join(twins.path, 'money.test.yml');
    writeFileSync(
      file,
      stringify({
        rule_files: ['recording.yml', 'alerts.yml'],
        group_eval_order: ['chom-kpi.recording', 'chom-kpi.alerts'],
        evaluation_interval: '1h',
        tests: [
          {
            interval: '1h',
            // EUR 4500 / 10 = 450 (above its 400); USD 700 / 10 = 70 (above 60, below 75);
            // GBP 9000 / 10 = 900, but GBP has no threshold of its own.
            input_series: [
              ...cac('EUR', 4500, 10),
              ...cac('USD', 700, 10),
              ...cac('GBP', 9000, 10),
            ],
            alert_rule_test: [
              {
                eval_time: '25h',
                alertname: 'ChomCacHigh',
                exp_alerts: [
                  {
                    exp_labels: { severity: 'warning', team: 'growth', currency: 'USD' },
                    exp_annotations: annotations(
                      'CAC is above 60 USD',
                      'Blended CAC over 30 days is 70.00 USD (threshold 60).',
                    ),
                  },
                  {
                    exp_labels: { severity: 'warning', team: 'growth', currency: 'EUR' },
                    exp_annotations: annotations(
                      'CAC is above 400 EUR',
                      'Blended CAC over 30 days is 450.00 EUR (threshold 400).',
                    ),
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    const { status, output } = await promtoolTestRules(file);
    expect(output).not.toContain('FAILED');
    expect(status).toBe(0);
  });

  it('refuses a money threshold for the reporting currency outside kpi.thresholds', () => {
    expect(() =>
      parseConfig({ kpi: { moneyThresholds: { USD: { cac: { warning: 1 } } } } }),
    ).toThrow(/kpi\.moneyThresholds\.USD: USD is the reporting currency/);
  });
});
