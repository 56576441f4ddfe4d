import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IService } from 'kubernetes-models/v1/Service';
import {
  appName,
  commonLabels,
  configDirectory,
  configFileName,
  configMapName,
  image,
  metricsPort,
  nodeUser,
  secretKeys,
  secretName,
  secretsDirectory,
  selectorLabels,
} from './names.js';

const metadata = (name: string) => ({ name, labels: { ...commonLabels } });

/** The exporter's configuration file; database URLs and keys are not in it (see the Secret). */
export function exporterConfigMap(configYaml: string): IConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(configMapName),
    data: { [configFileName]: configYaml },
  };
}

/**
 * Two replicas: they compute the same values from the same sources, and share
 * the billing month opening through the state database (first writer wins).
 */
export function exporterDeployment(): IDeployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(appName),
    spec: {
      replicas: 2,
      selector: { matchLabels: { ...selectorLabels } },
      // Never below one ready replica during a rollout (the PDB covers evictions).
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { ...commonLabels } },
        spec: {
          // The exporter never talks to the Kubernetes API.
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: nodeUser,
            runAsGroup: nodeUser,
            fsGroup: nodeUser,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          // Replicas on different nodes, so that one node going away leaves one scraping.
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { ...selectorLabels } },
            },
          ],
          // SIGTERM: the exporter closes within 10 s (Dockerfile STOPSIGNAL).
          terminationGracePeriodSeconds: 30,
          containers: [exporterContainer()],
          volumes: [
            { name: 'config', configMap: { name: configMapName } },
            { name: 'secrets', secret: { secretName, defaultMode: 0o440 } },
            // Node and libraries may write temporary files; the root filesystem is read-only.
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
          ],
        },
      },
    },
  };
}

function exporterContainer(): IContainer {
  const probe = (path: string) => ({
    httpGet: { path, port: metricsPort.name, scheme: 'HTTP' as const },
    timeoutSeconds: 5,
  });
  return {
    name: appName,
    image,
    imagePullPolicy: 'IfNotPresent',
    args: ['serve'],
    ports: [{ name: metricsPort.name, containerPort: metricsPort.number, protocol: 'TCP' }],
    env: [
      { name: 'CHOM_CONFIG', value: `${configDirectory}/${configFileName}` },
      { name: 'CHOM_PORT', value: String(metricsPort.number) },
      // Secrets by reference: the exporter reads the files, so the values never sit in the environment.
      {
        name: 'CHOM_DATABASE_URL_FILE',
        value: `${secretsDirectory}/${secretKeys.databaseUrl}`,
      },
      {
        name: 'CHOM_STATE_DATABASE_URL_FILE',
        value: `${secretsDirectory}/${secretKeys.stateDatabaseUrl}`,
      },
    ],
    // The process starts in seconds; the first collection round may take minutes.
    startupProbe: { ...probe('/healthz'), periodSeconds: 2, failureThreshold: 30 },
    livenessProbe: { ...probe('/healthz'), periodSeconds: 20, failureThreshold: 3 },
    // Ready once every collector has run once, so a new replica is not scraped empty.
    readinessProbe: { ...probe('/readyz'), periodSeconds: 10, failureThreshold: 3 },
    // Measured resident memory is 130-190 MB (bench/README.md); the limit leaves room for big syncs.
    resources: {
      requests: { cpu: '100m', memory: '192Mi' },
      limits: { memory: '512Mi' },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'config', mountPath: configDirectory, readOnly: true },
      { name: 'secrets', mountPath: secretsDirectory, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}

export function exporterService(): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    // Its name is the scrape job's name under the Prometheus Operator: keep `chom-exporter`.
    metadata: metadata(appName),
    spec: {
      type: 'ClusterIP',
      selector: { ...selectorLabels },
      ports: [
        {
          name: metricsPort.name,
          port: metricsPort.number,
          targetPort: metricsPort.name,
          protocol: 'TCP',
        },
      ],
    },
  };
}

/** Voluntary disruptions (node drains) keep one replica serving. */
export function exporterDisruptionBudget(): IPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(appName),
    spec: { minAvailable: 1, selector: { matchLabels: { ...selectorLabels } } },
  };
}
