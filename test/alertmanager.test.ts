import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../src/app/config.js';
import { alertRules } from '../src/kpi/alert-rules.js';
import { milestoneAnnouncement } from '../src/kpi/milestone-alerts.js';

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

/**
 * Which receivers each kind of alert reaches (amtool lists them in route order). Team
 * routes `continue`, so a critical alert reaches its team and the pager.
 */
const routes: [string, string[], string][] = [
  [
    'a critical business alert reaches the business team and pages on-call',
    ['alertname=ChomMrrDeclining', 'severity=critical', 'team=business', 'currency=EUR'],
    'business-email,oncall-pager',
  ],
  [
    'a critical growth alert reaches the growth team and pages on-call',
    ['alertname=ChomLtvToCacLow', 'severity=critical', 'team=growth'],
    'growth-email,oncall-pager',
  ],
  [
    'a critical customer-success alert reaches customer success and pages on-call',
    ['alertname=ChomNpsLow', 'severity=critical', 'team=customer-success'],
    'customer-success-email,oncall-pager',
  ],
  [
    'the per-organization health alert goes to customer success only, never the pager',
    [
      'alertname=ChomCustomerHealthCritical',
      'severity=critical',
      'team=customer-success',
      'organization=acme',
    ],
    'customer-success-email',
  ],
  [
    'a critical sre alert reaches the sre channel and pages on-call',
    ['alertname=ChomExporterDown', 'severity=critical', 'team=sre'],
    'sre-slack,oncall-pager',
  ],
  [
    'a business warning goes to the business team only',
    ['alertname=ChomChurnRateHigh', 'severity=warning', 'team=business'],
    'business-email',
  ],
  [
    'a growth warning goes to the growth team only',
    ['alertname=ChomCacHigh', 'severity=warning', 'team=growth'],
    'growth-email',
  ],
  [
    'a customer-success warning goes to customer success only',
    ['alertname=ChomNpsLow', 'severity=warning', 'team=customer-success'],
    'customer-success-email',
  ],
  [
    'an sre warning goes to Slack',
    ['alertname=ChomCollectorFailing', 'severity=warning', 'team=sre'],
    'sre-slack',
  ],
  ['info stays low-key', ['alertname=ChomRowsRejected', 'severity=info', 'team=sre'], 'info'],
  [
    'a milestone goes to the business team (its own receiver), not to the info webhook',
    ['alertname=ChomMrrMilestone', 'severity=info', 'team=business', 'currency=USD'],
    'business-milestones',
  ],
  [
    'the watchdog goes to the heartbeat',
    ['alertname=ChomWatchdog', 'severity=info', 'team=sre'],
    'heartbeat',
  ],
  [
    'a warning of an unknown team falls back to the default',
    ['alertname=Other', 'severity=warning', 'team=finance'],
    'default',
  ],
  [
    'a critical alert of an unknown team still pages on-call',
    ['alertname=Other', 'severity=critical', 'team=finance'],
    'oncall-pager',
  ],
];

/** The receiver each team's warnings and criticals reach (besides the pager). */
const teamReceivers: Record<string, string> = {
  business: 'business-email',
  growth: 'growth-email',
  'customer-success': 'customer-success-email',
  sre: 'sre-slack',
};

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

  it('routes every alert the rules can raise to its team, critical ones also to the pager (but the per-organization one)', () => {
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
      const team = teamReceivers[rule.team] as string;
      const expected =
        rule.alert === 'ChomWatchdog'
          ? 'heartbeat'
          : rule.alert === 'ChomCustomerHealthCritical'
            ? 'customer-success-email'
            : rule.alert.endsWith('Milestone')
              ? 'business-milestones'
              : rule.severity === 'info'
                ? 'info'
                : rule.severity === 'critical'
                  ? `${team},oncall-pager`
                  : team;
      expect(stdout.trim(), `${rule.alert} ${rule.severity}`).toBe(expected);
    }
  });

  it('inhibits only between alerts that both carry the labels they must share', () => {
    const parsed = parse(readFileSync(config, 'utf8'));
    const pair = parsed.inhibit_rules.find((r: { source_matchers: string[] }) =>
      r.source_matchers.includes('alertname="ChomMrrDeclining"'),
    );
    expect(pair).toMatchObject({
      target_matchers: ['alertname="ChomMrrGrowthLow"'],
      equal: ['currency'],
    });
    // Both read a recording rule at level `currency:` (summed by currency): both carry it.
    for (const rule of alertRules(parseConfig({}).kpi).filter((r) =>
      ['ChomMrrDeclining', 'ChomMrrGrowthLow'].includes(r.alert),
    )) {
      expect(rule.expr, rule.alert).toMatch(/^currency:[a-z_]+:[a-z0-9_]+ /);
    }
  });

  it('announces each milestone once: no resolution message, and no repeat while the alert can fire', () => {
    const parsed = parse(readFileSync(config, 'utf8'));
    const receiver = parsed.receivers.find(
      (r: { name: string }) => r.name === 'business-milestones',
    );
    const configs = [...(receiver.email_configs ?? []), ...(receiver.webhook_configs ?? [])];
    expect(configs.length).toBeGreaterThan(0);
    for (const entry of configs) expect(entry.send_resolved).toBe(false);
    const route = parsed.route.routes.find(
      (r: { receiver: string }) => r.receiver === 'business-milestones',
    );
    const hours = (text: string) => {
      const match = /^(\d+)h$/.exec(text);
      if (!match) throw new Error(`expected a duration in hours, got ${text}`);
      return Number(match[1]);
    };
    // A milestone alert fires for the announcement window (plus at most an hour of
    // alignment); a repeat within it would announce the milestone twice.
    expect(hours(route.repeat_interval)).toBeGreaterThan(hours(milestoneAnnouncement) + 1);
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
