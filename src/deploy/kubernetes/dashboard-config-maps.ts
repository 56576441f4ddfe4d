import { basename } from 'node:path';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { boardJson } from '../../dashboards/common.js';
import { dashboards } from '../../dashboards/index.js';
import type { KpiConfig } from '../../kpi/kpi-config.js';
import { appName, commonLabels } from './names.js';

/**
 * One ConfigMap per board (whatever boards src/dashboards lists), holding the
 * exact JSON of grafana/dashboards/. Grafana's dashboard sidecar (as in
 * kube-prometheus-stack) loads every ConfigMap labelled `grafana_dashboard: "1"`.
 * One board per object keeps each well under the 256 kB that client-side
 * `kubectl apply` can store in its last-applied annotation.
 */
export function dashboardConfigMaps(kpi: KpiConfig): IConfigMap[] {
  return dashboards(kpi).map((board) => {
    const file = basename(board.path);
    const slug = file.replace(/^\d+-/, '').replace(/-dashboard\.json$/, '');
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `${appName}-dashboard-${slug}`,
        labels: { ...commonLabels, grafana_dashboard: '1' },
        // The folder, for sidecars configured with folderAnnotation: grafana_folder.
        annotations: { grafana_folder: 'CHOM' },
      },
      data: { [file]: boardJson(board.dashboard) },
    };
  });
}
