import { connect } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/app/config.js';
import { parseConfig } from '../../src/app/config.js';
import { buildApp } from '../../src/http/app.js';
import { startService } from '../../src/serve.js';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { parseExposition } from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const secret = 'whsec_HardeningTestSecret0123';
const apiKey = 'rk_test_HardeningTest';

/**
 * Sends the headers of a POST announcing a 1 kB body, and no body. A route
 * that reads bodies waits; one that is absent answers at once. Resolves with
 * the status line, or 'no answer' after `waitMs`.
 */
function postWithoutBody(url: string, waitMs: number): Promise<string> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let reply = '';
    const done = (answer: string) => {
      clearTimeout(giveUp);
      socket.destroy();
      resolve(answer);
    };
    const giveUp = setTimeout(() => done('no answer'), waitMs);
    socket.on('connect', () =>
      socket.write(
        'POST /webhooks/stripe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
      ),
    );
    socket.on('data', (chunk) => {
      reply += String(chunk);
      if (reply.includes('\r\n')) done(reply.slice(0, reply.indexOf('\r\n')));
    });
    socket.on('error', () => done('error'));
  });
}

describe('Stripe webhook route hardening', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('logs bad signatures at a bounded rate, counts every one, and starts every outcome at zero', async () => {
    const built = buildTestExporter(db.url, {
      stripe: { apiKey, webhookSecret: secret },
      collectors: onlyCollectors(),
    });
    const lines: { level: number; msg: string; suppressed?: number; outcome?: string }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    const app = buildApp({
      exporter: built.exporter,
      logger,
      webhook: { settings: () => ({ secret, toleranceSeconds: 300 }), billing: built.webhook },
    });
    const outcomes = async () =>
      Object.fromEntries(
        parseExposition((await app.inject({ url: '/metrics' })).body)
          .filter((s) => s.name === 'chom_stripe_webhook_events_total')
          .map((s) => [s.labels.outcome, s.value]),
      );
    try {
      expect(await outcomes()).toEqual({
        accepted: 0,
        ignored: 0,
        bad_signature: 0,
        stale: 0,
        malformed: 0,
        too_large: 0,
      });
      for (let i = 0; i < 200; i += 1) {
        const response = await app.inject({
          method: 'POST',
          url: '/webhooks/stripe',
          headers: { 'content-type': 'application/json', 'stripe-signature': `t=1,v1=${i}` },
          payload: '{}',
        });
        expect(response.statusCode).toBe(400);
      }
      expect((await outcomes()).bad_signature).toBe(200);
      const refusals = () => lines.filter((l) => l.msg.startsWith('refused a Stripe webhook'));
      expect(refusals()).toHaveLength(1);
      await app.close();
      // Closing reports what the window held back, so nothing goes unlogged.
      expect(refusals().map((l) => l.suppressed)).toEqual([undefined, 199]);
    } finally {
      await app.close();
      await built.close();
    }
  });

  describe('in the service', () => {
    const base = (stripe: Record<string, unknown>) => ({
      server: { host: '127.0.0.1', port: 0 },
      database: { url: db.url },
      collectors: onlyCollectors(),
      stripe,
    });

    it('has no route without a secret: answers 404 without waiting for a body', async () => {
      const config = parseConfig(base({}));
      const service = await startService(config, pino({ level: 'silent' }));
      try {
        expect(await postWithoutBody(service.url, 10_000)).toBe('HTTP/1.1 404 Not Found');
      } finally {
        await service.close();
      }
    });

    it('a reload that removes the secret turns the route off before any body is read', async () => {
      let next: Config = parseConfig(base({ apiKey, webhookSecret: secret }));
      const service = await startService(next, pino({ level: 'silent' }), () => next);
      try {
        next = parseConfig(base({ apiKey }));
        expect((await fetch(`${service.url}/-/reload`, { method: 'POST' })).status).toBe(200);
        expect(await postWithoutBody(service.url, 10_000)).toBe('HTTP/1.1 404 Not Found');
      } finally {
        await service.close();
      }
    });
  });
});
