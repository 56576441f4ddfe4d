import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { secretKeys, secretName } from './names.js';

export const demoPostgresName = 'chom-demo-postgres';
const labels = {
  'app.kubernetes.io/name': demoPostgresName,
  'app.kubernetes.io/component': 'demo-database',
  'app.kubernetes.io/part-of': 'chom-exporter',
};
const database = 'chom';
/** A demo password, as in .env.example: this PostgreSQL holds synthetic data only. */
const demoPassword = 'chom-demo-password';
const postgresUser = 999; // the postgres user of the official image

/** The init scripts, in the order docker-compose mounts them: file name to SQL text. */
export type InitScripts = Readonly<Record<string, string>>;

/**
 * The demo's PostgreSQL: the image docker-compose pins, initialised on first
 * start with the reference schema and the demo data (the same SQL files). Its
 * data is an emptyDir: a new pod seeds a fresh data set (dates follow now()),
 * and the exporter's recorded month openings start over (reconstructed, flagged).
 */
export function demoPostgresObjects(image: string, initScripts: InitScripts): object[] {
  const url = `postgres://${database}:${demoPassword}@${demoPostgresName}:5432/${database}`;
  const secret: ISecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName, labels: { 'app.kubernetes.io/part-of': 'chom-exporter' } },
    type: 'Opaque',
    // The exporter records billing month openings in its own schema of the same demo server.
    stringData: { [secretKeys.databaseUrl]: url, [secretKeys.stateDatabaseUrl]: url },
  };
  const passwordSecret: ISecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: demoPostgresName, labels },
    type: 'Opaque',
    stringData: { password: demoPassword },
  };
  const initdb: IConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${demoPostgresName}-initdb`, labels },
    data: { ...initScripts },
  };
  return [secret, passwordSecret, initdb, postgresDeployment(image), postgresService()];
}

function postgresDeployment(image: string): IDeployment {
  const writable = (name: string, mountPath: string) => ({
    volume: { name, emptyDir: {} },
    mount: { name, mountPath },
  });
  const dirs = [
    writable('data', '/var/lib/postgresql/data'),
    writable('run', '/var/run/postgresql'),
    writable('tmp', '/tmp'),
  ];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: demoPostgresName, labels },
    spec: {
      replicas: 1,
      // One data directory: the old pod stops before the new one starts.
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { 'app.kubernetes.io/name': demoPostgresName } },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: postgresUser,
            runAsGroup: postgresUser,
            fsGroup: postgresUser,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'postgres',
              image,
              env: [
                { name: 'POSTGRES_DB', value: database },
                { name: 'POSTGRES_USER', value: database },
                {
                  name: 'POSTGRES_PASSWORD',
                  valueFrom: { secretKeyRef: { name: demoPostgresName, key: 'password' } },
                },
                { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
              ],
              ports: [{ name: 'postgres', containerPort: 5432, protocol: 'TCP' }],
              // Over TCP: during initialisation the server listens on its socket only, so the
              // pod is not ready (and the exporter not served half-seeded data) until seeding ends.
              readinessProbe: {
                exec: {
                  command: ['pg_isready', '-h', '127.0.0.1', '-U', database, '-d', database],
                },
                periodSeconds: 5,
              },
              resources: {
                requests: { cpu: '100m', memory: '256Mi' },
                limits: { memory: '1Gi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                ...dirs.map((dir) => dir.mount),
                { name: 'initdb', mountPath: '/docker-entrypoint-initdb.d', readOnly: true },
              ],
            },
          ],
          volumes: [
            ...dirs.map((dir) => dir.volume),
            { name: 'initdb', configMap: { name: `${demoPostgresName}-initdb` } },
          ],
        },
      },
    },
  };
}

function postgresService(): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: demoPostgresName, labels },
    spec: {
      selector: { 'app.kubernetes.io/name': demoPostgresName },
      ports: [{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }],
    },
  };
}
