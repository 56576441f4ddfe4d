import type { FastifyInstance } from 'fastify';
import { BcryptWorkers } from './bcrypt-workers.js';
import { type AuthConfig, Credentials } from './credentials.js';
import { stripeWebhookPath } from './stripe-webhook.js';

/**
 * Probes must work without credentials (orchestrators do not send any); Stripe
 * webhooks cannot send any either, and authenticate by their signature.
 */
const openPaths = new Set(['/healthz', '/readyz', stripeWebhookPath]);

/**
 * Requires the credentials of `server.auth` on every path but the probes. They
 * are read per request from `currentAuth`, so a reload that rotates the token
 * or the password hash applies at once and the old ones stop working; a
 * reload that leaves them as they were keeps the cache of checked headers.
 */
export function registerAuth(
  app: FastifyInstance,
  currentAuth: () => AuthConfig | undefined,
  workers = new BcryptWorkers(),
): void {
  let checker: { fingerprint: string; credentials: Credentials } | undefined;
  const credentials = (): Credentials | undefined => {
    const auth = currentAuth();
    if (!auth) return undefined;
    const fingerprint = JSON.stringify(auth);
    if (checker?.fingerprint !== fingerprint) {
      checker = { fingerprint, credentials: new Credentials(auth, workers) };
    }
    return checker.credentials;
  };
  app.addHook('onClose', async () => workers.close());
  app.addHook('onRequest', async (request, reply) => {
    const required = credentials();
    if (!required || openPaths.has(request.url.split('?')[0] ?? '')) return;
    const verdict = await required.check(request.headers.authorization);
    if (verdict === 'ok') return;
    if (verdict === 'busy') {
      // Too many password checks queued (a guessing flood): refused without checking.
      reply.header('Retry-After', '1');
      return reply.code(503).send({ status: 'busy', error: 'too many credential checks' });
    }
    reply.header('WWW-Authenticate', 'Basic realm="chom-exporter", charset="UTF-8"');
    return reply.code(401).send({ status: 'unauthorized' });
  });
}
