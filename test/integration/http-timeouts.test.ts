import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * Writes `text` on a new connection and waits for the server to close it,
 * giving up (resolving `closed: false`) after `waitMs`.
 */
function sendAndWait(port: number, text: string, waitMs: number) {
  return new Promise<{ closed: boolean; reply: string }>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ closed: false, reply });
    }, waitMs);
    socket.on('connect', () => {
      if (text) socket.write(text);
    });
    socket.on('data', (chunk) => {
      reply += String(chunk);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ closed: true, reply });
    });
  });
}

describe('HTTP timeouts', () => {
  let db: TestDatabase;
  let built: ReturnType<typeof buildTestExporter>;

  beforeAll(async () => {
    db = await createTestDatabase();
    built = buildTestExporter(db.url, { collectors: onlyCollectors() });
  });
  afterAll(async () => {
    await built.close();
    await db.drop();
  });

  it('has a request, idle and keep-alive timeout by default (Fastify sets no request timeout)', async () => {
    const app = buildApp({ exporter: built.exporter, logger: pino({ level: 'silent' }) });
    try {
      expect(app.server.requestTimeout).toBe(10_000);
      expect(app.server.headersTimeout).toBe(10_000);
      expect(app.server.timeout).toBe(30_000);
      expect(app.server.keepAliveTimeout).toBe(72_000);
    } finally {
      await app.close();
    }
  });

  describe('with short timeouts', () => {
    let app: FastifyInstance;
    let port: number;

    beforeAll(async () => {
      app = buildApp({
        exporter: built.exporter,
        logger: pino({ level: 'silent' }),
        reload: async () => ({ ok: true }),
        webhook: {
          settings: () => ({ secret: 'whsec_TimeoutTest', toleranceSeconds: 300 }),
          billing: built.webhook,
        },
        timeouts: { requestMs: 1_000, idleMs: 2_000, keepAliveMs: 1_000, checkIntervalMs: 200 },
      });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      if (typeof address !== 'object' || !address) throw new Error('no address');
      port = address.port;
    });
    afterAll(async () => {
      await app.close();
    });

    it.each(['/-/reload', '/webhooks/stripe'])(
      'closes a connection whose body to POST %s never finishes arriving',
      async (path) => {
        const headers = `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`;
        // Without a request timeout the server would wait for the body as long as the client likes.
        const { closed, reply } = await sendAndWait(port, headers, 15_000);
        expect(closed).toBe(true);
        expect(reply === '' || reply.startsWith('HTTP/1.1 408')).toBe(true);
      },
    );

    it('closes a connection that never sends a request, and an idle keep-alive one', async () => {
      expect((await sendAndWait(port, '', 15_000)).closed).toBe(true);
      const kept = await sendAndWait(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', 15_000);
      expect(kept.closed).toBe(true);
      expect(kept.reply).toMatch(/^HTTP\/1.1 200/);
    });
  });
});
