import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { collectors } from '../../src/collectors/index.js';
import { parseExposition, sampleValue } from '../helpers/exposition.js';
import { Child, freePort, tempDir, waitUntil } from '../helpers/processes.js';
import { find, render } from './builds.js';
import type { K8sObject } from './kustomize.js';
import { get, materializeExporterPod, type SecretData } from './pod.js';

const cli = ['--import', 'tsx', 'src/cli.ts'];
const dir = tempDir('chom-k8s-pod-');
const adminUrl = inject('adminDatabaseUrl');
const database = `chom_test_k8s_${randomBytes(5).toString('hex')}`;
const databaseUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
})();
const children: Child[] = [];

async function sql(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await sql(adminUrl, `CREATE DATABASE ${database}`);
  // What the demo PostgreSQL's entrypoint does on first start: the init scripts, in name order.
  const initdb = find(render('demo'), 'ConfigMap', 'chom-demo-postgres-initdb');
  const scripts = Object.entries(initdb.data as Record<string, string>).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  expect(scripts.map(([name]) => name)).toEqual([
    '001_reference_schema.sql',
    '002_billing_mirror.sql',
    '003_billing_dunning.sql',
    '004_analytics_events_occurred_at.sql',
    '005_referrals_completed_at.sql',
    '010_seed.sql',
    '011_seed_billing.sql',
  ]);
  for (const [, script] of scripts) await sql(databaseUrl, script);
}, 300_000);

afterAll(async () => {
  for (const child of children) await child.stop();
  await sql(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  dir.remove();
});

/** The exporter of a build, started as the kubelet would, on a free loopback port. */
async function startPod(objects: K8sObject[], created: Record<string, SecretData>, name: string) {
  const { container, env, args } = materializeExporterPod(objects, created, join(dir.path, name));
  const port = await freePort();
  // Only the address differs from the pod: loopback, and a free port instead of 9820.
  const child = new Child('env', [
    ...Object.entries({ ...env, CHOM_HOST: '127.0.0.1', CHOM_PORT: String(port) }).map(
      ([key, value]) => `${key}=${value}`,
    ),
    process.execPath,
    ...cli,
    ...args,
  ]);
  children.push(child);
  const probe = async (kind: 'startupProbe' | 'readinessProbe') => {
    const { path, scheme } = container[kind].httpGet;
    // The kubelet does not verify certificates, and sends no credentials.
    return get(`${scheme.toLowerCase()}://127.0.0.1:${port}${path}`, { insecure: true });
  };
  try {
    await waitUntil('startup probe', 30, async () => (await probe('startupProbe')).status === 200);
    await waitUntil(
      'readiness probe',
      180,
      async () => (await probe('readinessProbe')).status === 200,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; exporter output:\n${child.log}`);
  }
  return { port, child };
}

const databaseSecret = { 'database-url': databaseUrl, 'state-database-url': databaseUrl };

/** `chom-exporter check-config` in the pod's environment. */
function checkConfig(env: Record<string, string>) {
  return spawnSync(
    'env',
    [...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, ...cli, 'check-config'],
    { encoding: 'utf8' },
  );
}

describe('the exporter as the manifests start it', () => {
  it('production: a key missing from your Secret stops the exporter, naming its variable', () => {
    const objects = render('production');
    const { env } = materializeExporterPod(
      objects,
      { 'chom-exporter': { 'database-url': databaseUrl } },
      join(dir.path, 'missing-key'),
    );
    const check = checkConfig(env);
    expect(check.status).toBe(2);
    expect(check.stderr).toContain('CHOM_STATE_DATABASE_URL_FILE: cannot read');
    expect(check.stderr).not.toContain('CHOM_DATABASE_URL_FILE');
    const complete = materializeExporterPod(
      objects,
      { 'chom-exporter': databaseSecret },
      join(dir.path, 'complete'),
    );
    expect(checkConfig(complete.env)).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(
        /^configuration is valid\ncollectors: .+\napp database: database\.url\n$/,
      ),
    });
  });

  it('demo overlay: reads config and secrets from its volumes, gets ready and serves the demo data', async () => {
    const objects = render('demo');
    // The demo Secret points at the demo PostgreSQL Service; here that server is the test one.
    const demoSecret = find(objects, 'Secret', 'chom-exporter').stringData as SecretData;
    const service = find(objects, 'Service', 'chom-demo-postgres');
    expect(service.spec).toMatchObject({ ports: [{ port: 5432 }] });
    for (const url of Object.values(demoSecret))
      expect(new URL(url).host).toBe('chom-demo-postgres:5432');
    const { port } = await startPod(objects, { 'chom-exporter': databaseSecret }, 'demo');

    const monitor = find(objects, 'ServiceMonitor', 'chom-exporter').spec as {
      endpoints: { path: string }[];
    };
    const scrape = await get(`http://127.0.0.1:${port}${monitor.endpoints[0]?.path}`);
    expect(scrape.status).toBe(200);
    const samples = parseExposition(scrape.body);
    const success = samples.filter((s) => s.name === 'chom_collector_success');
    expect(success.map((s) => s.labels.collector).sort()).toEqual(
      collectors.map((c) => c.name).sort(),
    );
    expect(success.filter((s) => s.value !== 1)).toEqual([]);
    // The demo data set, from the init scripts (about 3,000 users; paying customers in billing).
    expect(sampleValue(samples, 'chom_users')).toBeGreaterThan(1000);
    expect(sampleValue(samples, 'chom_customers')).toBeGreaterThan(10);
    // CHOM_STATE_DATABASE_URL_FILE reached the exporter: billing recorded the month's opening.
    const { rows } = await sql(
      databaseUrl,
      "SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = 'chom_exporter'",
    );
    expect(rows[0]?.n).toBe(1);
  }, 300_000);

  it('scrape-https-basic-auth: refuses the placeholder hash, then serves what the ServiceMonitor is set to scrape', async () => {
    const objects = render('production + scrape-https-basic-auth');
    const configMap = find(objects, 'ConfigMap', 'chom-exporter-config');
    const data = configMap.data as Record<string, string>;
    const withPlaceholder = materializeExporterPod(
      objects,
      { 'chom-exporter': databaseSecret, 'chom-exporter-tls': {} },
      join(dir.path, 'placeholder'),
    );
    const check = checkConfig(withPlaceholder.env);
    expect(check.status).toBe(2);
    expect(check.stderr).toContain('server.auth.basic.passwordHash: expected a bcrypt hash');

    // What the component's comment tells the user to do: a certificate for the name the
    // ServiceMonitor verifies, a password in the scrape Secret, its bcrypt hash in chom.yml.
    const monitor = find(objects, 'ServiceMonitor', 'chom-exporter').spec as {
      endpoints: {
        path: string;
        scheme: string;
        tlsConfig: { serverName: string; ca: { secret: { name: string; key: string } } };
        basicAuth: {
          username: { name: string; key: string };
          password: { name: string; key: string };
        };
      }[];
    };
    const endpoint = monitor.endpoints[0];
    if (!endpoint) throw new Error('no endpoint');
    const password = randomBytes(12).toString('hex');
    const username = parse(data['chom.yml'] as string).server.auth.basic.username as string;
    data['chom.yml'] = (data['chom.yml'] as string).replace(
      /passwordHash: \S+/,
      `passwordHash: "${bcrypt.hashSync(password, 10)}"`,
    );
    const tls = selfSignedCertificate(endpoint.tlsConfig.serverName);
    const { port } = await startPod(
      objects,
      {
        'chom-exporter': databaseSecret,
        'chom-exporter-tls': { 'tls.crt': tls.cert, 'tls.key': tls.key, 'ca.crt': tls.cert },
        [endpoint.basicAuth.username.name]: {
          [endpoint.basicAuth.username.key]: username,
          [endpoint.basicAuth.password.key]: password,
        },
      },
      'https',
    );
    const url = `${endpoint.scheme}://127.0.0.1:${port}${endpoint.path}`;
    const scrape = await get(url, {
      ca: tls.cert,
      servername: endpoint.tlsConfig.serverName,
      auth: `${username}:${password}`,
    });
    expect(scrape.status).toBe(200);
    expect(scrape.body).toContain('chom_collector_success{collector="billing_mrr"} 1');
    expect(
      (await get(url, { ca: tls.cert, servername: endpoint.tlsConfig.serverName })).status,
    ).toBe(401);
  }, 300_000);
});

function selfSignedCertificate(name: string) {
  const [cert, key] = [join(dir.path, 'tls.crt'), join(dir.path, 'tls.key')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      `subjectAltName=DNS:${name}`,
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}
