import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/app/config.js';
import { parseConfig } from '../../src/app/config.js';
import { type RunningService, startService } from '../../src/serve.js';
import { onlyCollectors } from '../helpers/build-exporter.js';
import { tempDir } from '../helpers/processes.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** A self-signed certificate for 127.0.0.1 written to `<name>.crt` and `<name>.key`. */
function certificate(dir: string, name: string) {
  const [cert, key] = [join(dir, `${name}.crt`), join(dir, `${name}.key`)];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
      .concat(['-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`])
      .concat(['-addext', 'subjectAltName=IP:127.0.0.1']),
    { stdio: 'ignore' },
  );
  return { cert, key, fingerprint: new X509Certificate(readFileSync(cert)).fingerprint256 };
}

const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

/** Credentials and certificates change on reload, or the reload says a restart is needed. */
describe('reload and credentials', () => {
  const dir = tempDir('chom-reload-credentials-');
  const first = certificate(dir.path, 'first');
  const second = certificate(dir.path, 'second');
  const ca = Buffer.concat([readFileSync(first.cert), readFileSync(second.cert)]);
  let db: TestDatabase;
  let service: RunningService;
  let raw: Record<string, unknown>;
  let next: () => Config;

  const settings = (server: Record<string, unknown>) => ({
    server: { host: '127.0.0.1', port: 0, ...server },
    database: { url: db.url },
    collectors: onlyCollectors('config_kpi_targets'),
  });
  const auth = (bearerToken: string, password: string) => ({
    bearerToken,
    basic: { username: 'prometheus', passwordHash: bcrypt.hashSync(password, 4) },
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    raw = settings({
      tls: { certFile: first.cert, keyFile: first.key },
      auth: auth('first-token-0123456789', 'first password'),
    });
    next = () => parseConfig(raw);
    service = await startService(next(), pino({ level: 'silent' }), () => next());
  });
  afterAll(async () => {
    await service.close();
    await db.drop();
    dir.remove();
  });

  /** A request on a new TLS connection: the status and the certificate the server presented. */
  const send = (path: string, init: { method?: string; authorization?: string } = {}) =>
    new Promise<{ status: number; body: string; fingerprint: string }>((resolve, reject) => {
      const headers: Record<string, string> = init.authorization
        ? { authorization: init.authorization }
        : {};
      const req = request(
        `${service.url}${path}`,
        { method: init.method ?? 'GET', ca, headers, agent: false },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate()
            .fingerprint256;
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, fingerprint }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  const reload = () => send('/-/reload', { method: 'POST', authorization: 'Bearer unused' });
  const scrape = (authorization: string) => send('/metrics', { authorization });

  it('applies a rotated bearer token and password: the old ones stop working at once', async () => {
    expect((await scrape('Bearer first-token-0123456789')).status).toBe(200);
    expect((await scrape(basic('prometheus', 'first password'))).status).toBe(200);
    raw = settings({
      tls: { certFile: first.cert, keyFile: first.key },
      auth: auth('second-token-0123456789', 'second password'),
    });
    // The reload route itself needs the credentials in force.
    const response = await send('/-/reload', {
      method: 'POST',
      authorization: 'Bearer first-token-0123456789',
    });
    expect(response.status).toBe(200);
    expect((await scrape('Bearer first-token-0123456789')).status).toBe(401);
    // Checked (and remembered) as valid before the reload: refused now all the same.
    expect((await scrape(basic('prometheus', 'first password'))).status).toBe(401);
    expect((await scrape('Bearer second-token-0123456789')).status).toBe(200);
    expect((await scrape(basic('prometheus', 'second password'))).status).toBe(200);
  });

  it('serves a rotated certificate to new connections', async () => {
    expect((await send('/healthz')).fingerprint).toBe(first.fingerprint);
    raw = settings({
      tls: { certFile: second.cert, keyFile: second.key },
      auth: auth('second-token-0123456789', 'second password'),
    });
    const response = await send('/-/reload', {
      method: 'POST',
      authorization: 'Bearer second-token-0123456789',
    });
    expect(response.status).toBe(200);
    expect((await send('/healthz')).fingerprint).toBe(second.fingerprint);
  });

  it('refuses a reload it cannot apply, saying a restart is needed, and keeps serving as before', async () => {
    const current = raw;
    const broken = join(dir.path, 'broken.crt');
    writeFileSync(broken, 'not a certificate\n');
    const cases: [Record<string, unknown>, string][] = [
      [{ ...current, server: { ...(current.server as object), port: 1 } }, 'server.port'],
      [{ ...current, server: { ...(current.server as object), tls: undefined } }, 'server.tls'],
      [
        {
          ...current,
          stripe: { apiKey: 'rk_test_unused', webhookSecret: 'whsec_AddedByReload' },
        },
        'stripe.webhookSecret',
      ],
    ];
    for (const [changed, key] of cases) {
      raw = changed;
      const response = await reload();
      expect(response.status, key).toBe(401);
      const authorized = await send('/-/reload', {
        method: 'POST',
        authorization: 'Bearer second-token-0123456789',
      });
      expect(authorized.status, key).toBe(400);
      expect(authorized.body).toContain(key);
      expect(authorized.body).toContain('restart');
    }
    raw = {
      ...current,
      server: {
        ...(current.server as object),
        tls: { certFile: broken, keyFile: second.key },
      },
    };
    const refused = await send('/-/reload', {
      method: 'POST',
      authorization: 'Bearer second-token-0123456789',
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('server.tls.certFile');
    raw = current;
    expect((await send('/healthz')).fingerprint).toBe(second.fingerprint);
    expect((await scrape('Bearer second-token-0123456789')).status).toBe(200);
  });
});
