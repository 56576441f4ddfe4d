import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../src/config/load.js';
import { alertRules, runbookAnchor } from '../src/kpi/alert-rules.js';

const root = new URL('../', import.meta.url);
const path = (relative: string) => fileURLToPath(new URL(relative, root));
const rulesFiles = [
  'prometheus/rules/chom-recording.rules.yml',
  'prometheus/rules/chom-alerts.rules.yml',
];

function promtool(...args: string[]) {
  const result = spawnSync('promtool', args, { encoding: 'utf8', cwd: path('.') });
  if (result.error)
    throw new Error(
      `promtool is not runnable (Debian package prometheus): ${result.error.message}`,
    );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

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

  it('pass their promtool unit tests', () => {
    const { status, output } = promtool(
      'test',
      'rules',
      'prometheus/tests/recording-rules.test.yml',
      'prometheus/tests/alerts.test.yml',
    );
    expect(output).not.toContain('FAILED');
    expect(status).toBe(0);
  }, 300_000);

  it('test every recording rule', () => {
    const tests = parse(readFileSync(path('prometheus/tests/recording-rules.test.yml'), 'utf8'));
    const tested = new Set<string>(
      tests.tests.flatMap((t: { promql_expr_test: { expr: string }[] }) =>
        t.promql_expr_test.map((e) => e.expr),
      ),
    );
    const rules = parse(readFileSync(path(rulesFiles[0] as string), 'utf8'));
    const records: string[] = rules.groups.flatMap((g: { rules: { record: string }[] }) =>
      g.rules.map((r) => r.record),
    );
    expect(records.filter((record) => !tested.has(record))).toEqual([]);
  });

  it('have a firing case for every alert and severity, and a quiet case for every alert', () => {
    const tests = parse(readFileSync(path('prometheus/tests/alerts.test.yml'), 'utf8'));
    const cases: { alertname: string; exp_alerts: { exp_labels: { severity: string } }[] }[] =
      tests.tests.flatMap((t: { alert_rule_test: unknown[] }) => t.alert_rule_test);
    const firing = new Set(
      cases.flatMap((c) => c.exp_alerts.map((a) => `${c.alertname}/${a.exp_labels.severity}`)),
    );
    const quiet = new Set(cases.filter((c) => c.exp_alerts.length === 0).map((c) => c.alertname));
    const rules = alertRules(parseConfig({}).kpi);
    expect(rules.map((r) => `${r.alert}/${r.severity}`).filter((key) => !firing.has(key))).toEqual(
      [],
    );
    // The watchdog always fires by design; every other alert must also be shown not to fire.
    expect(
      [...new Set(rules.map((r) => r.alert))].filter((a) => a !== 'ChomWatchdog' && !quiet.has(a)),
    ).toEqual([]);
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
      expect(url.startsWith(`${parseConfig({}).kpi.links.runbookBaseUrl}#`)).toBe(true);
      expect(anchors.has(url.split('#')[1] as string), url).toBe(true);
    }
  });

  it('name alerts in CamelCase with the Chom prefix and label them with severity and team', () => {
    for (const rule of alertRules(parseConfig({}).kpi)) {
      expect(rule.alert).toMatch(/^Chom[A-Z][A-Za-z]+$/);
      expect(['critical', 'warning', 'info']).toContain(rule.severity);
      expect(['business', 'customer-success', 'growth', 'sre']).toContain(rule.team);
      expect(rule.summary.length).toBeGreaterThan(0);
      expect(rule.description.length).toBeGreaterThan(0);
    }
  });
});
