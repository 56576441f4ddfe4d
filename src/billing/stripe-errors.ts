import Stripe from 'stripe';

/** What to do about a failed request: retry it (after Retry-After when given), or give up. */
export type ErrorDecision =
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: 'fail'; readonly message: string };

/** The longest Retry-After we honour; a larger value is a broken proxy, and the run's timeout bounds the wait anyway. */
const maxRetryAfterMs = 120_000;

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), maxRetryAfterMs);
}

/** Exponential backoff with jitter: base 0.5 s doubled per retry, capped at 8 s, then 50–100 % of that. */
export function backoffMs(retry: number, random = Math.random): number {
  const ceiling = Math.min(500 * 2 ** retry, 8_000);
  return ceiling * (0.5 + random() / 2);
}

const header = (error: Stripe.errors.StripeError, name: string) => error.headers?.[name];

/**
 * Classifies an error of one list request. `what` names the request (resource
 * and page) for the message. Messages never quote the request itself: Stripe's
 * own 401 text repeats (part of) the key.
 */
export function classifyStripeError(error: unknown, what: string): ErrorDecision {
  const E = Stripe.errors;
  if (error instanceof E.StripeRateLimitError) {
    return {
      kind: 'retry',
      reason: `rate limited (${error.statusCode ?? 429})`,
      retryAfterMs: retryAfterMs(header(error, 'retry-after')),
    };
  }
  if (error instanceof E.StripeAuthenticationError) {
    return {
      kind: 'fail',
      message: `Stripe rejected the API key (401) while ${what}: the key is invalid, expired or revoked. Set a valid restricted key (stripe.apiKey or CHOM_STRIPE_API_KEY).`,
    };
  }
  if (error instanceof E.StripePermissionError) {
    return {
      kind: 'fail',
      message: `The Stripe API key is not allowed to read this (403) while ${what}: give the restricted key read access to subscriptions, prices, coupons and customers.`,
    };
  }
  if (error instanceof E.StripeConnectionError) {
    return { kind: 'retry', reason: `connection failed (${error.message})` };
  }
  if (error instanceof E.StripeAPIError && error.statusCode === undefined) {
    // The SDK's only StripeAPIError without a status is a body that did not parse:
    // a complete answer that is not JSON (a truncated one is a connection error).
    // It is not a hiccup, so it fails at once.
    return {
      kind: 'fail',
      message: `Stripe's answer while ${what} is not valid JSON; check that stripe.host, port and protocol point at the Stripe API.`,
    };
  }
  if (error instanceof E.StripeError) {
    const status = error.statusCode;
    if (status !== undefined && (status >= 500 || status === 409)) {
      return { kind: 'retry', reason: `HTTP ${status}: ${error.message}` };
    }
    const code = error.code ? ` ${error.code}` : '';
    return {
      kind: 'fail',
      message: `Stripe refused the request while ${what} (HTTP ${status ?? '?'}${code}): ${error.message}`,
    };
  }
  return { kind: 'fail', message: `${what} failed: ${(error as Error)?.message ?? String(error)}` };
}

/** Removes the key, and anything shaped like a Stripe key, from a text meant for logs or errors. */
export function redactKey(text: string, apiKey: string): string {
  const withoutKey = apiKey ? text.split(apiKey).join('[redacted]') : text;
  return withoutKey.replace(/\b(sk|rk|pk)_(test|live)_[A-Za-z0-9*]+/g, '[redacted]');
}
