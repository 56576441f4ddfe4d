import { exporterConfigYaml, type ScrapeSecurity } from './exporter-config.js';
import {
  appName,
  configFileName,
  configMapName,
  scrapeAuthSecretName,
  tlsDirectory,
  tlsSecretName,
} from './names.js';

interface JsonPatch {
  readonly target: { readonly kind: string; readonly name: string };
  readonly operations: readonly { op: 'add' | 'replace'; path: string; value: unknown }[];
}

const container = '/spec/template/spec/containers/0';

/**
 * The JSON patches (RFC 6902) of a kustomize component that serves the scrape
 * over HTTPS, with or without basic auth: the exporter's config, the
 * certificate mounted from a kubernetes.io/tls Secret, probes over HTTPS, and
 * the ServiceMonitor verifying the certificate against the Secret's ca.crt.
 */
export function scrapeSecurityPatches(security: Exclude<ScrapeSecurity, 'http'>): JsonPatch[] {
  const endpoint = '/spec/endpoints/0';
  return [
    {
      target: { kind: 'ConfigMap', name: configMapName },
      // Without the final newline: kustomize drops it from a patch's block scalar anyway.
      operations: [
        {
          op: 'replace',
          path: `/data/${configFileName}`,
          value: exporterConfigYaml(security).trimEnd(),
        },
      ],
    },
    {
      target: { kind: 'Deployment', name: appName },
      operations: [
        {
          op: 'add',
          path: '/spec/template/spec/volumes/-',
          value: { name: 'tls', secret: { secretName: tlsSecretName, defaultMode: 0o440 } },
        },
        {
          op: 'add',
          path: `${container}/volumeMounts/-`,
          value: { name: 'tls', mountPath: tlsDirectory, readOnly: true },
        },
        // The kubelet does not verify the certificate; /healthz and /readyz need no credentials.
        ...['startupProbe', 'livenessProbe', 'readinessProbe'].map((probe) => ({
          op: 'replace' as const,
          path: `${container}/${probe}/httpGet/scheme`,
          value: 'HTTPS',
        })),
      ],
    },
    {
      target: { kind: 'ServiceMonitor', name: appName },
      operations: [
        { op: 'add', path: `${endpoint}/scheme`, value: 'https' },
        {
          op: 'add',
          path: `${endpoint}/tlsConfig`,
          value: { ca: { secret: { name: tlsSecretName, key: 'ca.crt' } }, serverName: appName },
        },
        ...(security === 'https-basic-auth'
          ? [
              {
                op: 'add' as const,
                path: `${endpoint}/basicAuth`,
                value: {
                  username: { name: scrapeAuthSecretName, key: 'username' },
                  password: { name: scrapeAuthSecretName, key: 'password' },
                },
              },
            ]
          : []),
      ],
    },
  ];
}
