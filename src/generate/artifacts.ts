import { readFileSync } from 'node:fs';
import { parseConfig } from '../app/config.js';
import { grafanaArtifacts } from '../dashboards/index.js';
import {
  kubernetesArtifacts,
  kubernetesMonitoringArtifacts,
} from '../deploy/kubernetes/manifests.js';
import type { KpiConfig } from '../kpi/kpi-config.js';
import { seedCoverageTables } from '../kpi/seed-coverage.js';
import { alertThresholdTable, derivedKpiTable } from './alerting-doc.js';
import { configurationDocument } from './config-doc.js';
import { collectorsTable, metricsDocument } from './metrics-doc.js';
import { alertRulesYaml, recordingRulesYaml, runbooksDocument } from './prometheus-rules.js';
import { replaceSection } from './readme-sections.js';

export interface Artifact {
  readonly path: string;
  readonly content: string;
}

/**
 * Every generated file, from the one source of truth in src/. `npm run
 * generate` writes them; a test fails when the committed copies drift.
 */
export function buildArtifacts(root: URL): Artifact[] {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const alerting = readFileSync(new URL('docs/alerting.md', root), 'utf8');
  // The committed artifacts use the default KPI config; `generate --config` is for users' own.
  const { kpi } = parseConfig({});
  // The Kubernetes files that follow the KPI config are part of monitoringArtifacts.
  const alreadyListed = new Set(
    kubernetesMonitoringArtifacts(kpi).map((artifact) => artifact.path),
  );
  return [
    ...monitoringArtifacts(kpi),
    ...kubernetesArtifacts(kpi, root).filter((artifact) => !alreadyListed.has(artifact.path)),
    { path: 'docs/metrics.md', content: metricsDocument() },
    { path: 'docs/configuration.md', content: configurationDocument() },
    { path: 'README.md', content: replaceSection(readme, 'collectors', collectorsTable()) },
    {
      path: 'docs/alerting.md',
      content: replaceSection(
        replaceSection(
          replaceSection(alerting, 'derived-kpis', derivedKpiTable(kpi)),
          'alert-thresholds',
          alertThresholdTable(kpi),
        ),
        'seed-coverage',
        seedCoverageTables(),
      ),
    },
  ];
}

/**
 * What a deployment needs (rules, runbooks, dashboards, and their Kubernetes
 * objects), from a KPI config: the default or a user's.
 */
export function monitoringArtifacts(kpi: KpiConfig): Artifact[] {
  return [
    { path: 'prometheus/rules/chom-recording.rules.yml', content: recordingRulesYaml(kpi) },
    { path: 'prometheus/rules/chom-alerts.rules.yml', content: alertRulesYaml(kpi) },
    { path: 'docs/runbooks.md', content: runbooksDocument(kpi) },
    ...grafanaArtifacts(kpi),
    ...kubernetesMonitoringArtifacts(kpi),
  ];
}
