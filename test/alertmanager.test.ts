import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../src/config/load.js';
import { alertRules } from '../src/kpi/alert-rules.js';

const config = fileURLToPath(
  new URL('../prometheus/alertmanager/alertmanager.yml', import.meta.url),
);
const templates = fileURLToPath(
  new URL('../prometheus/alertmanager/templates/*.tmpl', import.meta.url),
);

function amtool(...args: string[]) {
  const result = spawnSync('amtool', args, { encoding: 'utf8' });
  if (result.error)
    throw new Error(
      `amtool is not runnable (Debian package prometheus-alertmanager): ${result.error.message}`,
    );
  // amtool warns on stderr that --config.file overrides --alertmanager.url; the answer is on stdout.
  return {
    status: result.status,
    output: `${result.stdout}${result.stderr}`,
    stdout: result.stdout,
  };
}

/** Which receiver each kind of alert reaches. */
const routes: [string, string[], string][] = [
  [
    'critical business alert pages on-call',
    ['alertname=ChomChurnRateHigh', 'severity=critical', 'team=business'],
    'oncall-pager',
  ],
  [
    'critical sre alert pages on-call',
    ['alertname=ChomExporterDown', 'severity=critical', 'team=sre'],
    'oncall-pager',
  ],
  [
    'business warning goes to the business inbox',
    ['alertname=ChomChurnRateHigh', 'severity=warning', 'team=business'],
    'business-email',
  ],
  [
    'customer-success warning',
    ['alertname=ChomNpsLow', 'severity=warning', 'team=customer-success'],
    'business-email',
  ],
  [
    'growth warning',
    ['alertname=ChomCacHigh', 'severity=warning', 'team=growth'],
    'business-email',
  ],
  [
    'sre warning goes to Slack',
    ['alertname=ChomCollectorFailing', 'severity=warning', 'team=sre'],
    'sre-slack',
  ],
  ['info stays low-key', ['alertname=ChomRowsRejected', 'severity=info', 'team=sre'], 'info'],
  [
    'the watchdog goes to the heartbeat',
    ['alertname=ChomWatchdog', 'severity=info', 'team=sre'],
    'heartbeat',
  ],
  [
    'an unknown team warning falls back to the default',
    ['alertname=Other', 'severity=warning', 'team=finance'],
    'default',
  ],
];

describe('Alertmanager configuration', () => {
  it('passes amtool check-config', () => {
    const { status, output } = amtool('check-config', config);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it.each(routes)('routes: %s', (_name, labels, receiver) => {
    const { status, stdout } = amtool(
      'config',
      'routes',
      'test',
      `--config.file=${config}`,
      `--verify.receivers=${receiver}`,
      ...labels,
    );
    expect(stdout.trim()).toBe(receiver);
    expect(status).toBe(0);
  });

  it('routes every alert the rules can raise to a receiver other than the default', () => {
    for (const rule of alertRules(parseConfig({}).kpi)) {
      const { stdout } = amtool(
        'config',
        'routes',
        'test',
        `--config.file=${config}`,
        `alertname=${rule.alert}`,
        `severity=${rule.severity}`,
        `team=${rule.team}`,
      );
      expect(stdout.trim(), rule.alert).toMatch(
        /^(oncall-pager|business-email|sre-slack|info|heartbeat)$/,
      );
    }
  });

  it('uses every receiver it defines', () => {
    const parsed = parse(readFileSync(config, 'utf8'));
    const used = new Set<string>([parsed.route.receiver]);
    const walk = (route: { receiver?: string; routes?: unknown[] }) => {
      if (route.receiver) used.add(route.receiver);
      for (const child of route.routes ?? []) walk(child as typeof route);
    };
    walk(parsed.route);
    expect(
      parsed.receivers
        .map((r: { name: string }) => r.name)
        .filter((name: string) => !used.has(name)),
    ).toEqual([]);
  });

  it('renders the notification title from the templates', () => {
    const { status, output } = amtool(
      'template',
      'render',
      `--template.glob=${templates}`,
      '--template.text={{ template "chom.title" . }}',
    );
    expect(status).toBe(0);
    expect(output).toContain('[ALERTSTATUS');
  });
});
