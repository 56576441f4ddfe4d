import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KpiConfig } from '../../kpi/kpi-config.js';
import { alertmanagerConfig, alertmanagerSecretKeys } from './alertmanager-config.js';
import { dashboardConfigMaps } from './dashboard-config-maps.js';
import { demoPostgresObjects } from './demo-postgres.js';
import { exporterConfigYaml } from './exporter-config.js';
import {
  exporterConfigMap,
  exporterDeployment,
  exporterDisruptionBudget,
  exporterService,
} from './exporter-workload.js';
import {
  baseKustomization,
  demoKustomization,
  networkPolicyComponent,
  productionKustomization,
  scrapeComponent,
} from './kustomizations.js';
import { alertmanagerSecretName } from './names.js';
import { exporterNetworkPolicy } from './network-policy.js';
import { prometheusRule, serviceMonitor } from './prometheus-operator.js';
import { yamlDocuments } from './yaml-documents.js';

interface Artifact {
  readonly path: string;
  readonly content: string;
}

export const kubernetesDirectory = 'deploy/kubernetes';
const base = `${kubernetesDirectory}/base`;

/** The manifests that follow the KPI config (rules, boards): also written by `chom-exporter generate`. */
export function kubernetesMonitoringArtifacts(kpi: KpiConfig): Artifact[] {
  return [
    {
      path: `${base}/prometheus-rule.yaml`,
      content: yamlDocuments(
        [prometheusRule(kpi)],
        'The groups of prometheus/rules/*.rules.yml (a test compares them).',
      ),
    },
    {
      path: `${base}/grafana-dashboards.yaml`,
      content: yamlDocuments(
        dashboardConfigMaps(kpi),
        'The boards of grafana/dashboards/, for the Grafana sidecar (label grafana_dashboard: "1").',
      ),
    },
  ];
}

/** Every file of deploy/kubernetes/, from src/ and the repository's own files under `root`. */
export function kubernetesArtifacts(kpi: KpiConfig, root: URL): Artifact[] {
  const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
  const alertmanagerYaml = read('prometheus/alertmanager/alertmanager.yml');
  const compose = parse(read('docker-compose.yml')) as {
    services: { postgres: { image: string } };
  };
  // Every migration, in name order (as migrate() applies them), then the demo data.
  const migrations = readdirSync(new URL('src/db/migrations/', root))
    .filter((file) => file.endsWith('.sql'))
    .sort();
  const initScripts = {
    ...Object.fromEntries(migrations.map((file) => [file, read(`src/db/migrations/${file}`)])),
    '010_seed.sql': read('src/demo/seed.sql'),
    '011_seed_billing.sql': read('src/demo/seed-billing.sql'),
  };
  const components = `${kubernetesDirectory}/components`;
  const overlays = `${kubernetesDirectory}/overlays`;
  return [
    { path: `${base}/kustomization.yaml`, content: baseKustomization() },
    {
      path: `${base}/exporter.yaml`,
      content: yamlDocuments([
        exporterConfigMap(exporterConfigYaml('http')),
        exporterDeployment(),
        exporterService(),
        exporterDisruptionBudget(),
      ]),
    },
    { path: `${base}/service-monitor.yaml`, content: yamlDocuments([serviceMonitor()]) },
    ...kubernetesMonitoringArtifacts(kpi),
    {
      path: `${base}/alertmanager-config.yaml`,
      content: yamlDocuments(
        [alertmanagerConfig(alertmanagerYaml, read('prometheus/alertmanager/templates/chom.tmpl'))],
        `prometheus/alertmanager/alertmanager.yml as an AlertmanagerConfig, templates inlined. The
compose webhook relay is left out: the default, heartbeat and info receivers have no integration
until you add yours (the heartbeat: your dead man's switch). The operator adds a namespace matcher
to the top route; alerts without a namespace label (ChomWatchdog, ChomExporterAbsent, sums) need
alertmanagerConfigMatcherStrategy: {type: None} on the Alertmanager (docs/deployment.md).`,
      ),
    },
    {
      path: `${components}/network-policy/kustomization.yaml`,
      content: networkPolicyComponent(),
    },
    {
      path: `${components}/network-policy/network-policy.yaml`,
      content: yamlDocuments([exporterNetworkPolicy()]),
    },
    { path: `${components}/scrape-https/kustomization.yaml`, content: scrapeComponent('https') },
    {
      path: `${components}/scrape-https-basic-auth/kustomization.yaml`,
      content: scrapeComponent('https-basic-auth'),
    },
    { path: `${overlays}/demo/kustomization.yaml`, content: demoKustomization() },
    {
      path: `${overlays}/demo/demo-postgres.yaml`,
      content: yamlDocuments(
        demoPostgresObjects(compose.services.postgres.image, initScripts),
        'PostgreSQL with the demo data set (the image and SQL files of docker-compose.yml).',
      ),
    },
    {
      path: `${overlays}/demo/alertmanager-secret.yaml`,
      content: yamlDocuments(
        [demoAlertmanagerSecret(alertmanagerSecretKeys(alertmanagerYaml))],
        'Placeholders, so that the operator accepts the AlertmanagerConfig: the demo notifies no one.',
      ),
    },
    {
      path: `${overlays}/production/kustomization.yaml`,
      content: productionKustomization(alertmanagerSecretKeys(alertmanagerYaml)),
    },
  ];
}

function demoAlertmanagerSecret(keys: readonly string[]) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: alertmanagerSecretName },
    type: 'Opaque',
    stringData: Object.fromEntries(
      keys.map((key) => [key, key.includes('url') ? 'https://example.invalid/demo' : 'demo']),
    ),
  };
}
