import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { Child, freePort, tempDir, waitUntil } from './processes.js';

const repo = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

type Route = Record<string, unknown> & { routes?: Route[] };

/**
 * The committed Alertmanager config with only what a test must change: the
 * webhook relay address, the templates folder, and timings shortened to seconds.
 * The routing tree, receivers and inhibition rules are the real ones.
 */
export function testAlertmanagerConfig(webhookBase: string): string {
  const config = parse(readFileSync(repo('prometheus/alertmanager/alertmanager.yml'), 'utf8'));
  config.templates = [repo('prometheus/alertmanager/templates/*.tmpl')];
  const fast = (route: Route) => {
    for (const key of ['group_wait', 'group_interval'])
      if (key in route || route === config.route) route[key] = '1s';
    if ('repeat_interval' in route || route === config.route) route.repeat_interval = '1h';
    for (const child of route.routes ?? []) fast(child);
  };
  fast(config.route);
  return stringify(config).replaceAll('http://alert-webhook:8080', webhookBase);
}

/** The committed rules with every `for:` shortened to 1s; expressions, labels and annotations untouched. */
export function fastRules(file: string): string {
  return readFileSync(repo(file), 'utf8')
    .replace(/^(\s+)for: .+$/gm, '$1for: 1s')
    .replace(/interval: 1m/g, 'interval: 1s');
}

/**
 * The committed prometheus.yml with only what a test must change: the exporter
 * and Alertmanager addresses, where the rules are, and intervals of one second.
 * The job name, rule loading and alerting wiring are the real ones.
 */
export function testPrometheusConfig(
  rulesDir: string,
  exporterTarget: string,
  alertmanagerPort: number,
): string {
  const config = parse(readFileSync(repo('prometheus/prometheus.yml'), 'utf8'));
  config.global.scrape_interval = '1s';
  config.global.evaluation_interval = '1s';
  config.rule_files = config.rule_files.map((glob: string) =>
    join(rulesDir, glob.split('/').pop() as string),
  );
  config.alerting.alertmanagers[0].static_configs[0].targets = [`127.0.0.1:${alertmanagerPort}`];
  const job = config.scrape_configs.find(
    (j: { job_name: string }) => j.job_name === 'chom-exporter',
  );
  job.scrape_interval = '1s';
  job.scrape_timeout = '1s';
  job.static_configs[0].targets = [exporterTarget];
  // The self-scrape job has no counterpart here.
  config.scrape_configs = [job];
  return stringify(config);
}

/** Real Prometheus and Alertmanager (Debian binaries) on loopback, for one test file. */
export class MonitoringStack {
  private readonly children: Child[] = [];
  private readonly dir = tempDir('chom-stack-');
  prometheusUrl = '';
  alertmanagerUrl = '';

  async start(options: { exporterTarget: string; webhookBase: string }): Promise<void> {
    const amPort = await freePort();
    const promPort = await freePort();
    const amConfig = join(this.dir.path, 'alertmanager.yml');
    writeFileSync(amConfig, testAlertmanagerConfig(options.webhookBase));
    for (const file of [
      'prometheus/rules/chom-recording.rules.yml',
      'prometheus/rules/chom-alerts.rules.yml',
    ]) {
      writeFileSync(join(this.dir.path, file.split('/').pop() as string), fastRules(file));
    }
    const promConfig = join(this.dir.path, 'prometheus.yml');
    writeFileSync(promConfig, testPrometheusConfig(this.dir.path, options.exporterTarget, amPort));
    const am = new Child('prometheus-alertmanager', [
      `--config.file=${amConfig}`,
      `--storage.path=${join(this.dir.path, 'am')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ]);
    const prom = new Child('prometheus', [
      `--config.file=${promConfig}`,
      `--storage.tsdb.path=${join(this.dir.path, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--rules.alert.resend-delay=1s',
    ]);
    this.children.push(am, prom);
    this.alertmanagerUrl = `http://127.0.0.1:${amPort}`;
    this.prometheusUrl = `http://127.0.0.1:${promPort}`;
    try {
      await waitUntil(
        'alertmanager ready',
        30,
        async () => (await fetch(`${this.alertmanagerUrl}/-/ready`)).ok,
      );
      await waitUntil(
        'prometheus ready',
        30,
        async () => (await fetch(`${this.prometheusUrl}/-/ready`)).ok,
      );
    } catch (error) {
      throw new Error(
        `${(error as Error).message}\nalertmanager: ${am.log}\nprometheus: ${prom.log}`,
      );
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((child) => child.stop()));
    this.dir.remove();
  }
}
