import { request } from 'node:http';
import bcrypt from 'bcryptjs';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { closeSources } from '../../src/app/create-sources.js';
import { buildExporter, buildSources } from '../../src/app/service.js';
import { buildApp } from '../../src/http/app.js';
import { onlyCollectors } from '../helpers/build-exporter.js';

/** A GET on a fresh connection (no keep-alive, so no request waits behind another). */
function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

/**
 * Wrong passwords for the right username, sent at once, each different so no
 * cache can answer them: every one costs a bcrypt comparison (cost 10).
 */
describe('basic auth under a flood of wrong passwords', () => {
  const password = 'correct horse battery staple';
  const token = 'scrape-token-0123456789abcdef';
  let app: FastifyInstance;
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const config = parseConfig({
      server: {
        auth: {
          basic: { username: 'prometheus', passwordHash: bcrypt.hashSync(password, 10) },
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
    app = buildApp({ exporter, logger: pino({ level: 'silent' }), auth: () => config.server.auth });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    base = `http://127.0.0.1:${address.port}`;
    close = async () => {
      await app.close();
      await closeSources(sources);
    };
  });
  afterAll(async () => {
    await close();
  });

  it('keeps answering /healthz and valid scrapes while the wrong passwords are being checked', async () => {
    // Prometheus has scraped before: its header is known good.
    expect(await get(`${base}/metrics`, { authorization: basic('prometheus', password) })).toBe(
      200,
    );
    const flood = 24;
    let pending = flood;
    const wrong = Array.from({ length: flood }, (_, i) =>
      get(`${base}/metrics`, { authorization: basic('prometheus', `guess-${i}`) }).finally(() => {
        pending -= 1;
      }),
    );
    // Round after round of the requests that must not wait, counted while guesses are pending.
    let roundsDuringFlood = 0;
    while (pending > 0) {
      const statuses = await Promise.all([
        get(`${base}/healthz`),
        get(`${base}/metrics`, { authorization: `Bearer ${token}` }),
        get(`${base}/metrics`, { authorization: basic('prometheus', password) }),
      ]);
      expect(statuses).toEqual([200, 200, 200]);
      if (pending > 0) roundsDuringFlood += 1;
    }
    const refused = await Promise.all(wrong);
    // Every guess refused: 401 once checked, 503 when the bounded queue was full.
    expect(refused.every((status) => status === 401 || status === 503)).toBe(true);
    expect(refused.filter((status) => status === 401).length).toBeGreaterThan(0);
    // bcrypt on the event loop (even bcryptjs's async API, in 100 ms slices)
    // lets a round through only between slices of every pending check: a few
    // rounds for the whole flood. Off the loop, rounds go on all along.
    expect(roundsDuringFlood).toBeGreaterThanOrEqual(flood);
  });
});
