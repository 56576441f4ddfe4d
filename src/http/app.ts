import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { BillingWebhook } from '../billing/webhook-events.js';
import type { TlsMaterial } from '../config/tls-files.js';
import type { Exporter } from '../engine/exporter.js';
import { registerAuth } from './auth.js';
import type { AuthConfig } from './credentials.js';
import { registerHealthRoutes } from './health.js';
import { registerLandingPage } from './landing.js';
import { registerMetricsRoute } from './metrics.js';
import { registerReloadRoute } from './reload.js';
import { registerStripeWebhook, type WebhookSettings } from './stripe-webhook.js';
import { defaultHttpTimeouts, type HttpTimeouts, timeoutOptions } from './timeouts.js';

export interface AppDeps {
  readonly exporter: Exporter;
  readonly logger: Logger;
  /** Text for the landing page, e.g. that demo data is being served. */
  readonly notice?: string;
  /** Configuration reload behind POST /-/reload; the route exists only when given. */
  readonly reload?: () => Promise<{ ok: true } | { ok: false; error: string }>;
  /** Certificate and key (server.tls, read and checked): HTTPS only. */
  readonly tls?: TlsMaterial;
  /** The credentials in force (server.auth), read per request: a reload may rotate them. */
  readonly auth?: () => AuthConfig | undefined;
  /**
   * Stripe webhooks: the secret and tolerance, read per request (a reload may
   * rotate or remove them), and billing's handler of verified events. The
   * route exists only when given.
   */
  readonly webhook?: { readonly settings: WebhookSettings; readonly billing: BillingWebhook };
  /** Shorter timeouts for tests; the defaults are documented in timeouts.ts. */
  readonly timeouts?: Partial<HttpTimeouts>;
}

/** Builds the HTTP app; it never listens by itself, so tests drive it with `inject`. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const timeouts = timeoutOptions({ ...defaultHttpTimeouts, ...deps.timeouts });
  const app = Fastify({
    ...(deps.tls
      ? { https: { cert: deps.tls.cert, key: deps.tls.key, ...timeouts.server } }
      : { http: timeouts.server }),
    ...timeouts.fastify,
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Scrapes every few seconds would drown the log; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
  });
  if (deps.auth) registerAuth(app, deps.auth);
  // An unknown path answers at once: Fastify's own 404 would read the body first.
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) return reply.code(404).send({ status: 'not found' });
  });
  registerMetricsRoute(app, deps.exporter);
  registerHealthRoutes(app, deps.exporter);
  registerLandingPage(app, deps.exporter, deps.notice);
  if (deps.reload) registerReloadRoute(app, deps.reload);
  if (deps.webhook) registerStripeWebhook(app, deps.webhook.billing, deps.webhook.settings);
  return app;
}
