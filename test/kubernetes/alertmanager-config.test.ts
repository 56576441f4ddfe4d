import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../src/app/config.js';
import { alertmanagerConfig } from '../../src/deploy/kubernetes/alertmanager-config.js';
import { alertRules } from '../../src/kpi/alert-rules.js';
import { tempDir } from '../helpers/processes.js';
import { find, render } from './builds.js';

const path = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));
const amConfigFile = path('prometheus/alertmanager/alertmanager.yml');
const amYaml = readFileSync(amConfigFile, 'utf8');
const templatesFile = path('prometheus/alertmanager/templates/chom.tmpl');
const templates = readFileSync(templatesFile, 'utf8');
const dir = tempDir('chom-amc-');
afterAll(() => dir.remove());

function amtool(...args: string[]) {
  const result = spawnSync('amtool', args, { encoding: 'utf8' });
  if (result.error) throw new Error(`amtool is not runnable: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, output: result.stdout + result.stderr };
}

type Matcher = { name: string; matchType: string; value: string };
type Route = {
  receiver?: string;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  matchers?: Matcher[];
  continue?: boolean;
  routes?: Route[];
};
type Spec = {
  route: Route;
  receivers: { name: string }[];
  inhibitRules: { sourceMatch: Matcher[]; targetMatch: Matcher[]; equal: string[] }[];
};

/** The AlertmanagerConfig back in Alertmanager's own format, as the operator would write it. */
function toAlertmanagerYaml(spec: Spec): string {
  const matchers = (list: Matcher[] = []) =>
    list.map((m) => `${m.name}${m.matchType}${JSON.stringify(m.value)}`);
  const route = (r: Route): Record<string, unknown> => ({
    receiver: r.receiver,
    group_by: r.groupBy,
    group_wait: r.groupWait,
    group_interval: r.groupInterval,
    repeat_interval: r.repeatInterval,
    matchers: r.matchers ? matchers(r.matchers) : undefined,
    continue: r.continue,
    routes: r.routes?.map(route),
  });
  const clean = (value: unknown) => JSON.parse(JSON.stringify(value));
  return stringify(
    clean({
      route: route(spec.route),
      receivers: spec.receivers.map(({ name }) => ({ name })),
      inhibit_rules: spec.inhibitRules.map((rule) => ({
        source_matchers: matchers(rule.sourceMatch),
        target_matchers: matchers(rule.targetMatch),
        equal: rule.equal,
      })),
    }),
  );
}

const spec = find(render('base'), 'AlertmanagerConfig', 'chom-exporter').spec as Spec;
const converted = join(dir.path, 'converted.yml');
const emptyTemplates = join(dir.path, 'empty.tmpl');
writeFileSync(emptyTemplates, '');
writeFileSync(converted, toAlertmanagerYaml(spec));

const receiverOf = (file: string, labels: string[]) =>
  amtool('config', 'routes', 'test', `--config.file=${file}`, ...labels).stdout.trim();

/** Every alert the rules raise, and label sets that reach the default and the fallbacks. */
const labelSets = [
  ...alertRules(parseConfig({}).kpi).map((rule) => [
    `alertname=${rule.alert}`,
    `severity=${rule.severity}`,
    `team=${rule.team}`,
  ]),
  ['alertname=Other', 'severity=warning', 'team=finance'],
  ['alertname=Other'],
];

describe('AlertmanagerConfig from prometheus/alertmanager/alertmanager.yml', () => {
  it('is, back in Alertmanager format, a configuration amtool accepts', () => {
    const { status, output } = amtool('check-config', converted);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('routes every alert of the rules to the receiver alertmanager.yml routes it to', () => {
    for (const labels of labelSets) {
      const expected = receiverOf(amConfigFile, labels);
      expect(expected, labels.join(' ')).not.toBe('');
      expect(receiverOf(converted, labels), labels.join(' ')).toBe(expected);
    }
  });

  it('keeps the inhibition rules and every receiver', () => {
    const source = parse(amYaml);
    expect(spec.receivers.map((r) => r.name)).toEqual(
      source.receivers.map((r: { name: string }) => r.name),
    );
    expect(parse(toAlertmanagerYaml(spec)).inhibit_rules).toEqual(source.inhibit_rules);
  });

  it('renders its inlined texts as the template file renders the calls they replace', () => {
    const calls = [...new Set(amYaml.match(/\{\{ template "[^"]+" \. \}\}/g))];
    expect(calls.length).toBeGreaterThan(1);
    const texts = JSON.stringify(spec.receivers);
    for (const call of calls) {
      const viaFile = amtool(
        'template',
        'render',
        `--template.glob=${templatesFile}`,
        `--template.text=${call}`,
      );
      expect(viaFile.status, viaFile.output).toBe(0);
      expect(viaFile.stdout.trim().length, call).toBeGreaterThan(10);
      const body = inlineOf(call);
      expect(body).not.toContain('{{ template');
      expect(texts).toContain(JSON.stringify(body).slice(1, -1));
      // amtool insists on a glob: give it a file that defines nothing.
      const direct = amtool(
        'template',
        'render',
        `--template.glob=${emptyTemplates}`,
        `--template.text=${body}`,
      );
      expect(direct.status, direct.output).toBe(0);
      expect(direct.stdout).toBe(viaFile.stdout);
    }
  });

  it('reads each secret file of alertmanager.yml from a key of one Secret, named after the file', () => {
    const files = [...amYaml.matchAll(/_file: (\S+)/g)].map((m) => (m[1] ?? '').split('/').pop());
    const refs = [
      ...JSON.stringify(spec).matchAll(/\{"name":"chom-exporter-alertmanager","key":"([^"]+)"\}/g),
    ].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    expect([...new Set(refs)].sort()).toEqual([...new Set(files)].sort());
    const demoSecret = find(render('demo'), 'Secret', 'chom-exporter-alertmanager');
    expect(Object.keys(demoSecret.stringData as object).sort()).toEqual([...new Set(files)].sort());
  });

  it('stops generation on a setting it does not convert, naming where', () => {
    const withOpsgenie = amYaml.replace(
      '  - name: info\n',
      '  - name: info\n    opsgenie_configs:\n      - api_key_file: /x\n',
    );
    expect(withOpsgenie).not.toBe(amYaml);
    expect(() => alertmanagerConfig(withOpsgenie, templates)).toThrow(
      /receivers\[5\]: opsgenie_configs not converted/,
    );
  });
});

/** What the converter puts in place of one template call: a field holding only that call. */
function inlineOf(call: string): string {
  const config = alertmanagerConfig(
    stringify({
      route: { receiver: 'r' },
      receivers: [{ name: 'r', slack_configs: [{ channel: '#c', title: call }] }],
    }),
    templates,
  );
  const [receiver] = config.spec?.receivers ?? [];
  return receiver?.slackConfigs?.[0]?.title ?? '';
}
