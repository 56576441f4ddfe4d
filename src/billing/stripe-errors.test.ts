import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { backoffMs, classifyStripeError, redactKey, retryAfterMs } from './stripe-errors.js';

const E = Stripe.errors;

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, clamps to [0, 120 s], ignores garbage', () => {
    const now = Date.parse('2026-06-15T12:00:00Z');
    expect(retryAfterMs('1', now)).toBe(1000);
    expect(retryAfterMs('0.5', now)).toBe(500);
    expect(retryAfterMs('Mon, 15 Jun 2026 12:00:03 GMT', now)).toBe(3000);
    expect(retryAfterMs('-4', now)).toBe(0);
    expect(retryAfterMs('86400', now)).toBe(120_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('doubles from 0.5 s, caps at 8 s, and jitters between half and all of it', () => {
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(4, () => 1)).toBe(8000);
    expect(backoffMs(9, () => 1)).toBe(8000);
    expect(backoffMs(9, () => 0)).toBe(4000);
  });
});

describe('classifyStripeError', () => {
  const what = 'listing prices (page 2)';

  it('retries rate limits with their Retry-After', () => {
    const limited = new E.StripeRateLimitError({
      statusCode: 429,
      headers: { 'retry-after': '2' },
      message: 'Too many requests',
    });
    expect(classifyStripeError(limited, what)).toEqual({
      kind: 'retry',
      reason: 'rate limited (429)',
      retryAfterMs: 2000,
    });
  });

  it('retries 5xx, 409 and connection errors, without a Retry-After', () => {
    for (const error of [
      new E.StripeAPIError({ statusCode: 503, message: 'unavailable' }),
      new E.StripeAPIError({ statusCode: 409, message: 'lock timeout' }),
      new E.StripeConnectionError({ message: 'socket hang up' }),
    ]) {
      const decision = classifyStripeError(error, what);
      expect(decision.kind).toBe('retry');
      expect(decision).not.toHaveProperty('retryAfterMs', expect.any(Number));
    }
  });

  it('fails at once on 401, 403, 400 and unparsable bodies, naming the request', () => {
    const cases: [unknown, RegExp][] = [
      [
        new E.StripeAuthenticationError({
          statusCode: 401,
          message: 'Invalid API Key provided: sk_test_x',
        }),
        /401/,
      ],
      [new E.StripePermissionError({ statusCode: 403, message: 'no access' }), /403/],
      [
        new E.StripeInvalidRequestError({
          statusCode: 400,
          code: 'parameter_unknown',
          message: 'Received unknown parameter: x',
        }),
        /HTTP 400 parameter_unknown\): Received unknown parameter: x/,
      ],
      [
        new E.StripeAPIError({ message: 'Invalid JSON received from the Stripe API' }),
        /not valid JSON/,
      ],
      [new TypeError('boom'), /failed: boom/],
    ];
    for (const [error, message] of cases) {
      const decision = classifyStripeError(error, what);
      expect(decision.kind).toBe('fail');
      if (decision.kind !== 'fail') continue;
      expect(decision.message).toMatch(message);
      expect(decision.message).toContain(what);
    }
  });

  it("never quotes Stripe's 401 text, which repeats the key", () => {
    const error = new E.StripeAuthenticationError({
      statusCode: 401,
      message: 'Invalid API Key provided: sk_live_SECRET123',
    });
    const decision = classifyStripeError(error, what);
    expect(JSON.stringify(decision)).not.toContain('SECRET123');
  });
});

describe('redactKey', () => {
  it('removes the configured key and anything shaped like a Stripe key', () => {
    expect(redactKey('key rk_test_Abc123 rejected', 'rk_test_Abc123')).toBe(
      'key [redacted] rejected',
    );
    expect(redactKey('provided: sk_live_****1234.', 'rk_test_Abc123')).toBe(
      'provided: [redacted].',
    );
    expect(redactKey('custom-key-format-42 leaked', 'custom-key-format-42')).toBe(
      '[redacted] leaked',
    );
    expect(redactKey('nothing here', 'sk_test_x')).toBe('nothing here');
  });
});
