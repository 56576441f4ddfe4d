import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Exporter } from '../exporter.js';
import { registerHealthRoutes } from './health.js';
import { registerLandingPage } from './landing.js';
import { registerMetricsRoute } from './metrics.js';
import { registerReloadRoute } from './reload.js';

export interface AppDeps {
  readonly exporter: Exporter;
  readonly logger: Logger;
  /** Text for the landing page, e.g. that demo data is being served. */
  readonly notice?: string;
  /** Configuration reload behind POST /-/reload; the route exists only when given. */
  readonly reload?: () => Promise<{ ok: true } | { ok: false; error: string }>;
}

/** Builds the HTTP app; it never listens by itself, so tests drive it with `inject`. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    disableRequestLogging: true,
    bodyLimit: 1024 * 1024,
  });
  registerMetricsRoute(app, deps.exporter);
  registerHealthRoutes(app, deps.exporter);
  registerLandingPage(app, deps.exporter, deps.notice);
  if (deps.reload) registerReloadRoute(app, deps.reload);
  return app;
}
