import { timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import { stripeWebhookPath } from './stripe-webhook.js';

type AuthConfig = NonNullable<Config['server']['auth']>;

/**
 * Probes must work without credentials (orchestrators do not send any); Stripe
 * webhooks cannot send any either, and authenticate by their signature.
 */
const openPaths = new Set(['/healthz', '/readyz', stripeWebhookPath]);

const sameText = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * Requires basic credentials (bcrypt-hashed password, as the Prometheus exporter
 * toolkit's web config) or a bearer token on every path but the probes. A bcrypt
 * check costs tens of milliseconds, so a verified header is remembered: a scraper
 * sending the same credentials every 15 s pays it once.
 */
export function registerAuth(app: FastifyInstance, auth: AuthConfig): void {
  const verified = new Set<string>();
  const check = async (header: string | undefined): Promise<boolean> => {
    if (!header) return false;
    if (verified.has(header)) return true;
    const [scheme, value = ''] = header.split(' ', 2);
    let ok = false;
    if (scheme?.toLowerCase() === 'bearer' && auth.bearerToken)
      ok = sameText(value, auth.bearerToken);
    if (scheme?.toLowerCase() === 'basic' && auth.basic) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = colon >= 0 ? decoded.slice(0, colon) : '';
      const password = colon >= 0 ? decoded.slice(colon + 1) : '';
      ok =
        sameText(user, auth.basic.username) &&
        (await bcrypt.compare(password, auth.basic.passwordHash));
    }
    // Bounded: only valid credentials are remembered, and there are few of them.
    if (ok && verified.size < 100) verified.add(header);
    return ok;
  };
  app.addHook('onRequest', async (request, reply) => {
    if (openPaths.has(request.url.split('?')[0] ?? '')) return;
    if (await check(request.headers.authorization)) return;
    reply.header('WWW-Authenticate', 'Basic realm="chom-exporter", charset="UTF-8"');
    return reply.code(401).send({ status: 'unauthorized' });
  });
}
