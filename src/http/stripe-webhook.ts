import type { FastifyError, FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { type WebhookOutcome, webhookOutcomes } from '../billing/billing-self-metrics.js';
import type { BillingWebhook } from '../billing/webhook-events.js';
import { ThrottledWarning } from './throttled-warning.js';

/** The signing secret and tolerance in force; undefined when webhooks are off. */
export type WebhookSettings = () =>
  | { readonly secret: string; readonly toleranceSeconds: number }
  | undefined;

export const stripeWebhookPath = '/webhooks/stripe';

/** Stripe's events are a few kB; a large body is not one. */
const bodyLimitBytes = 256 * 1024;

/**
 * POST /webhooks/stripe: a signed Stripe event. The signature (HMAC of the raw
 * body with the endpoint's secret, with a timestamp checked against the
 * tolerance, against replays) is the only authentication, so the body is kept
 * as bytes until it is verified. A verified event that billing reads marks its
 * objects for re-reading and brings the billing run forward. Answers 200 to
 * every verified event (Stripe retries anything else), 400 naming what is wrong
 * otherwise; nothing in the body is trusted or logged before verification.
 * Registered only when a secret is configured at startup; a reload that removes
 * it makes the route answer 404 before reading any body.
 */
export function registerStripeWebhook(
  app: FastifyInstance,
  billing: BillingWebhook,
  settings: WebhookSettings,
): void {
  for (const outcome of webhookOutcomes) billing.record(outcome, 0);
  // Refusals need no credentials to cause: logged at a bounded rate, all counted.
  const refusals = new ThrottledWarning(app.log, 'refused a Stripe webhook delivery');
  app.addHook('onClose', async () => refusals.flush());
  void app.register(async (scope) => {
    // Webhooks turned off by a reload: the route answers as if absent, before any body is read.
    scope.addHook('onRequest', async (_request, reply) => {
      if (!settings()) return reply.code(404).send({ status: 'not found' });
    });
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: bodyLimitBytes },
      (_request, body, done) => done(null, body),
    );
    // The body limit is enforced while parsing, before the route runs: counted here.
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.statusCode === 413) {
        billing.record('too_large');
        refusals.warn({ outcome: 'too_large', reqId: request.id });
        return reply
          .code(413)
          .send({ status: 'refused', error: `body is larger than ${bodyLimitBytes} bytes` });
      }
      return reply.send(error);
    });
    scope.post(stripeWebhookPath, async (request, reply) => {
      const current = settings();
      // Checked before the body too (onRequest); a reload may land in between.
      if (!current) return reply.code(404).send({ status: 'not found' });
      const refuse = (outcome: WebhookOutcome, error: string) => {
        billing.record(outcome);
        refusals.warn({ outcome, reason: error, reqId: request.id });
        return reply.code(400).send({ status: 'refused', error });
      };
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers['stripe-signature'];
      if (typeof signature !== 'string' || signature === '') {
        return refuse('bad_signature', 'missing Stripe-Signature header');
      }
      let event: Stripe.Event;
      try {
        event = await Stripe.webhooks.constructEventAsync(
          body,
          signature,
          current.secret,
          current.toleranceSeconds,
        );
      } catch (error) {
        if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
          // The SDK's text for an old timestamp; anything else is a bad signature.
          return /tolerance/i.test(error.message)
            ? refuse(
                'stale',
                `signature timestamp is older than ${current.toleranceSeconds}s (stripe.webhookToleranceSeconds)`,
              )
            : refuse('bad_signature', 'signature does not match the payload and secret');
        }
        // Signed but not JSON: the sender is Stripe's, the body is broken.
        return refuse('malformed', 'payload is not valid JSON');
      }
      if (typeof event !== 'object' || event === null || typeof event.type !== 'string') {
        return refuse('malformed', 'payload is not a Stripe event (no type)');
      }
      const accepted = billing.deliver(event);
      billing.record(accepted ? 'accepted' : 'ignored');
      return { received: true };
    });
  });
}
