import type { FastifyInstance } from 'fastify';
import type { Exporter } from '../engine/exporter.js';

/** The text format 0.0.4, which Prometheus 2 and 3 both accept. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Whether the client accepts gzip (and did not refuse it with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * GET /metrics serves what the collectors last published, from bytes rendered
 * (and compressed) once per change; it never touches a source.
 */
export function registerMetricsRoute(app: FastifyInstance, exporter: Exporter): void {
  app.get('/metrics', async (request, reply) => {
    reply.header('Vary', 'Accept-Encoding').type(EXPOSITION_CONTENT_TYPE);
    if (acceptsGzip(request.headers['accept-encoding'])) {
      return reply.header('Content-Encoding', 'gzip').send(await exporter.compressedExposition());
    }
    return reply.send(await exporter.exposition());
  });
}
