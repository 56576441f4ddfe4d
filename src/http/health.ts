import type { FastifyInstance } from 'fastify';
import type { Exporter } from '../engine/exporter.js';

/** Liveness answers while the process serves; readiness waits for the first collection round. */
export function registerHealthRoutes(app: FastifyInstance, exporter: Exporter): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (exporter.ready) return { status: 'ready' };
    return reply
      .code(503)
      .send({ status: 'starting', detail: 'first collection round in progress' });
  });
}
