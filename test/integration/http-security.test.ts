import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import bcrypt from 'bcryptjs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { closeSources } from '../../src/app/create-sources.js';
import { buildExporter, buildSources } from '../../src/app/service.js';
import { readTlsFiles } from '../../src/config/tls-files.js';
import { buildApp } from '../../src/http/app.js';
import { onlyCollectors } from '../helpers/build-exporter.js';
import { FakeStripe } from '../helpers/fake-stripe.js';
import { tempDir } from '../helpers/processes.js';

/** A GET over HTTPS with a real client that trusts only the test certificate. */
function get(url: string, ca: Buffer, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(url, { ca, headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('/metrics behind TLS and credentials', () => {
  const dir = tempDir('chom-tls-');
  const password = 'correct horse battery staple';
  const token = 'scrape-token-0123456789abcdef';
  let ca: Buffer;
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const [cert, key] = [join(dir.path, 'cert.pem'), join(dir.path, 'key.pem')];
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
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(cert);
    const config = parseConfig({
      server: {
        host: '127.0.0.1',
        port: 0,
        tls: { certFile: cert, keyFile: key },
        auth: {
          basic: { username: 'prometheus', passwordHash: bcrypt.hashSync(password, 4) },
          bearerToken: token,
        },
      },
      collectors: onlyCollectors('config_kpi_targets'),
    });
    const sources = buildSources(
      config,
      { url: 'postgres://unused@127.0.0.1:1/none' },
      pino({ level: 'silent' }),
    );
    const exporter = buildExporter(config, sources, pino({ level: 'silent' })).exporter;
    await exporter.runOnce();
    const app = buildApp({
      exporter,
      logger: pino({ level: 'silent' }),
      tls: await readTlsFiles({ certFile: cert, keyFile: key }),
      auth: () => config.server.auth,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    base = `https://127.0.0.1:${address.port}`;
    close = async () => {
      await app.close();
      await closeSources(sources);
    };
  });
  afterAll(async () => {
    await close();
    dir.remove();
  });

  const basic = (user: string, pass: string) =>
    `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

  it('refuses a scrape without credentials, asking for basic auth', async () => {
    const response = await get(`${base}/metrics`, ca);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('Basic realm="chom-exporter"');
    expect(response.body).not.toContain('chom_');
  });

  it.each([
    ['a wrong password', basic('prometheus', 'wrong')],
    ['a wrong user', basic('grafana', password)],
    ['a wrong token', 'Bearer scrape-token-0123456789abcdeX'],
    ['a malformed header', 'Basic !!!'],
  ])('refuses %s', async (_name, authorization) => {
    expect((await get(`${base}/metrics`, ca, { authorization })).status).toBe(401);
  });

  it.each([
    ['basic credentials', basic('prometheus', password)],
    ['the bearer token', `Bearer ${token}`],
  ])('serves the metrics over TLS with %s', async (_name, authorization) => {
    const response = await get(`${base}/metrics`, ca, { authorization });
    expect(response.status).toBe(200);
    expect(response.body).toContain('chom_kpi_target{kpi="mrr",currency="USD"} 4900');
  });

  it('keeps the probes open and the landing page closed', async () => {
    expect((await get(`${base}/healthz`, ca)).status).toBe(200);
    expect((await get(`${base}/readyz`, ca)).status).toBe(200);
    expect((await get(`${base}/`, ca)).status).toBe(401);
  });

  it('does not answer plain HTTP on the TLS port', async () => {
    await expect(fetch(base.replace('https:', 'http:'))).rejects.toThrow();
  });

  it('refuses a password that is not a bcrypt hash, naming the key', () => {
    expect(() =>
      parseConfig({ server: { auth: { basic: { username: 'p', passwordHash: 'plain-text' } } } }),
    ).toThrow(/server\.auth\.basic\.passwordHash: expected a bcrypt hash/);
  });
});

describe('secrets', () => {
  const dbPassword = 'Db-S3cret-Passw0rd';
  const stripeKey = 'sk_test_LeakedIfYouSeeThis42';
  let fake: FakeStripe;

  beforeAll(async () => {
    fake = await FakeStripe.start({ apiKey: 'sk_test_TheOnlyValidKey1' });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('never appear in logs, errors, the landing page or the exposition', async () => {
    const lines: string[] = [];
    const log = pino(
      { level: 'trace' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const url = `postgres://chom:${dbPassword}@127.0.0.1:1/app`;
    const config = parseConfig({
      database: { url, connectTimeoutSeconds: 1 },
      stripe: { apiKey: stripeKey, ...fake.clientOptions, maxRetries: 0 },
      collectors: {
        ...onlyCollectors('postgres_nps', 'billing_mrr'),
        billing_mrr: { source: 'stripe' },
      },
    });
    const sources = buildSources(config, { url }, log);
    const exporter = buildExporter(config, sources, log).exporter;
    const app = buildApp({ exporter, logger: log });
    try {
      expect(await exporter.runOnce()).toBe(2);
      const page = (await app.inject({ url: '/' })).body;
      const metrics = (await app.inject({ url: '/metrics' })).body;
      const errors = exporter.runners.map((r) => r.currentStatus.lastError ?? '').join('\n');
      expect(errors).toMatch(/ECONNREFUSED|connect/);
      for (const text of [lines.join(''), page, metrics, errors]) {
        expect(text).not.toContain(dbPassword);
        expect(text).not.toContain(stripeKey);
        expect(text).not.toContain(stripeKey.slice(-12));
      }
    } finally {
      await app.close();
      await exporter.stop();
      await closeSources(sources);
    }
  });
});
