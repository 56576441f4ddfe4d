import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { tempDir } from '../helpers/processes.js';
import { find, render } from './builds.js';

const path = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));
const read = (relative: string) => readFileSync(path(relative), 'utf8');
const objects = render('base');
const dir = tempDir('chom-k8s-monitoring-');
afterAll(() => dir.remove());

describe('PrometheusRule', () => {
  const rule = find(objects, 'PrometheusRule', 'chom-exporter');
  const groups = (rule.spec as { groups: unknown[] }).groups;

  it('carries exactly the groups of prometheus/rules/, in file order', () => {
    const files = readdirSync(path('prometheus/rules'))
      .filter((file) => file.endsWith('.rules.yml'))
      .sort((a, b) => (a.includes('recording') ? -1 : b.includes('recording') ? 1 : 0));
    expect(files.length).toBeGreaterThanOrEqual(2);
    const fromFiles = files.flatMap((file) => parse(read(`prometheus/rules/${file}`)).groups);
    expect(groups).toEqual(fromFiles);
    // Byte for byte: each group serialises as it does in its file.
    for (const [index, group] of groups.entries())
      expect(stringify(group, { lineWidth: 0 })).toBe(
        stringify(fromFiles[index], { lineWidth: 0 }),
      );
  });

  it('passes promtool check rules with linting', () => {
    const file = join(dir.path, 'prometheus-rule-groups.yml');
    writeFileSync(file, stringify({ groups }, { lineWidth: 0 }));
    const result = spawnSync('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', file], {
      encoding: 'utf8',
    });
    expect(result.error).toBeUndefined();
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});

describe('ServiceMonitor', () => {
  const monitor = find(objects, 'ServiceMonitor', 'chom-exporter');
  const service = find(objects, 'Service', 'chom-exporter');
  const spec = monitor.spec as {
    selector: { matchLabels: Record<string, string> };
    endpoints: { port: string; path: string; interval: string; scrapeTimeout: string }[];
  };

  it("selects the exporter's Service and a port it exposes", () => {
    for (const [key, value] of Object.entries(spec.selector.matchLabels))
      expect(service.metadata.labels?.[key], key).toBe(value);
    const ports = (service.spec as { ports: { name: string }[] }).ports.map((p) => p.name);
    expect(ports).toContain(spec.endpoints[0]?.port);
    expect(spec.endpoints[0]?.path).toBe('/metrics');
  });

  it('makes the job label the one the alerts select (the Service name, no jobLabel)', () => {
    const alerts = read('prometheus/rules/chom-alerts.rules.yml');
    const jobs = new Set([...alerts.matchAll(/job="([^"]+)"/g)].map((m) => m[1]));
    expect(jobs.size).toBe(1);
    expect([...jobs]).toEqual([service.metadata.name]);
    expect(monitor.spec).not.toHaveProperty('jobLabel');
  });

  it('scrapes as the compose Prometheus does', () => {
    const job = parse(read('prometheus/prometheus.yml')).scrape_configs.find(
      (j: { job_name: string }) => j.job_name === 'chom-exporter',
    );
    expect(spec.endpoints[0]?.interval).toBe(job.scrape_interval);
    expect(spec.endpoints[0]?.scrapeTimeout).toBe(job.scrape_timeout);
  });
});

describe('dashboard ConfigMaps', () => {
  const boards = objects.filter(
    (o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1',
  );

  it('carry, for the Grafana sidecar, exactly the JSON of every board in grafana/dashboards/', () => {
    const files = readdirSync(path('grafana/dashboards')).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    const carried = boards.flatMap((b) => Object.entries(b.data as Record<string, string>));
    expect(carried.map(([file]) => file).sort()).toEqual([...files].sort());
    for (const [file, json] of carried) expect(json, file).toBe(read(`grafana/dashboards/${file}`));
  });

  it('each fit in the last-applied annotation of a client-side kubectl apply (256 kB)', () => {
    for (const board of boards)
      expect(JSON.stringify(board).length, board.metadata.name).toBeLessThan(262_144);
  });
});
