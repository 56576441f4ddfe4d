import type { FastifyInstance } from 'fastify';

/**
 * POST /-/reload (the Prometheus convention): 200 when the new configuration is
 * running, 400 with the problems when it was refused and the old one kept.
 */
export function registerReloadRoute(
  app: FastifyInstance,
  reload: () => Promise<{ ok: true } | { ok: false; error: string }>,
): void {
  app.post('/-/reload', async (_request, reply) => {
    const result = await reload();
    if (result.ok) return { status: 'reloaded' };
    return reply.code(400).send({ status: 'refused', error: result.error });
  });
}
