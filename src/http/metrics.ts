import type { FastifyInstance } from 'fastify';
import type { Exporter } from '../exporter.js';

/** GET /metrics renders what the collectors last published; it never touches a source. */
export function registerMetricsRoute(app: FastifyInstance, exporter: Exporter): void {
  app.get('/metrics', async (_request, reply) => {
    const body = await exporter.exposition();
    return reply.type(exporter.registry.contentType).send(body);
  });
}
