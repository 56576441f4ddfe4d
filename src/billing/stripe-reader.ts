import type { Logger } from 'pino';
import Stripe from 'stripe';
import { sleep, throwIfAborted, untilAborted } from './abortable.js';
import { backoffMs, classifyStripeError, redactKey } from './stripe-errors.js';
import { TokenBucket } from './token-bucket.js';

/** A sync that failed; the message says why and never contains the API key. */
export class StripeSourceError extends Error {
  override readonly name = 'StripeSourceError';
  constructor(
    message: string,
    /** Stripe's error code when Stripe refused the request (e.g. `resource_missing`). */
    readonly code?: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/**
 * A request Stripe answered with a 4xx other than a rate limit: the reader does
 * not retry those, and asking again for the same thing gets the same answer.
 */
export const isRefusal = (error: unknown): error is StripeSourceError =>
  error instanceof StripeSourceError &&
  error.statusCode !== undefined &&
  error.statusCode >= 400 &&
  error.statusCode < 500;

/**
 * A refusal that reading something else instead can get round: any but a 401,
 * which rejects the key itself and would fail every other request too.
 */
export const isAvoidableRefusal = (error: unknown): error is StripeSourceError =>
  isRefusal(error) && error.statusCode !== 401;

/** What a request was for: the `chom_stripe_requests_total{kind}` label. */
export type StripeRequestKind = 'list' | 'retrieve' | 'events';

type Cursor = { limit: number; starting_after?: string };
type ListPage<T> = Stripe.ApiList<T>;

const pageSize = 100;
const progressEveryPages = 10;

const isList = (value: unknown): value is ListPage<{ id: string }> =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as ListPage<unknown>).data) &&
  typeof (value as ListPage<unknown>).has_more === 'boolean';

export interface StripeReaderOptions {
  readonly apiKey: string;
  readonly maxRequestsPerSecond: number;
  readonly maxRetries: number;
  /** Called once per HTTP request sent, retries included. */
  readonly onRequest?: (kind: StripeRequestKind) => void;
}

/**
 * Sends requests through the official SDK one at a time under a client-side
 * throttle, retrying 429s (after Retry-After), 5xx and connection errors. The
 * SDK's own retries are off because it does not retry 429s and knows nothing
 * of the throttle. Errors come out as StripeSourceError with the key redacted.
 */
export class StripeReader {
  private readonly bucket: TokenBucket;

  constructor(
    private readonly options: StripeReaderOptions,
    private readonly log: Logger,
  ) {
    this.bucket = new TokenBucket(options.maxRequestsPerSecond);
  }

  private redact(text: string): string {
    return redactKey(text, this.options.apiKey);
  }

  /**
   * One request, retried on 429, 5xx and connection errors; `what` names it in
   * messages, `context` (resource, page or id) in the retry log.
   */
  async request<T>(
    kind: StripeRequestKind,
    what: string,
    call: () => Promise<T>,
    signal: AbortSignal,
    context: Record<string, unknown> = {},
  ): Promise<T> {
    for (let retry = 0; ; retry += 1) {
      await this.bucket.take(signal);
      this.options.onRequest?.(kind);
      try {
        return await untilAborted(call(), signal);
      } catch (error) {
        // The abort reason, never the raw SDK error: Stripe's 401 text quotes the key.
        throwIfAborted(signal);
        const decision = classifyStripeError(error, what);
        if (decision.kind === 'fail') {
          const stripeError = error instanceof Stripe.errors.StripeError ? error : undefined;
          throw new StripeSourceError(
            this.redact(decision.message),
            stripeError?.code,
            stripeError?.statusCode,
          );
        }
        if (retry >= this.options.maxRetries) {
          throw new StripeSourceError(
            this.redact(
              `Stripe kept failing while ${what}: ${decision.reason}; gave up after ${retry} retries (stripe.maxRetries).`,
            ),
          );
        }
        const waitMs = decision.retryAfterMs ?? backoffMs(retry);
        this.log.warn(
          {
            ...context,
            retry: retry + 1,
            waitMs: Math.round(waitMs),
            reason: this.redact(decision.reason),
          },
          'retrying a Stripe request',
        );
        await sleep(waitMs, signal);
      }
    }
  }

  /**
   * Every object of a list, newest first, following `starting_after` cursors
   * at Stripe's largest page size, so a full list costs the fewest requests.
   */
  async listAll<T extends { id: string }>(
    kind: StripeRequestKind,
    resource: string,
    list: (cursor: Cursor) => Promise<ListPage<T>>,
    signal: AbortSignal,
  ): Promise<T[]> {
    const objects = await this.listUpTo(kind, resource, list, signal, Number.POSITIVE_INFINITY);
    return objects ?? [];
  }

  /**
   * Like `listAll`, but reads at most `maxPages` pages: undefined when the list
   * has more, so the caller can choose a cheaper way than reading on. Stops
   * early, with what it read, after a page for which `enough` says so.
   */
  async listUpTo<T extends { id: string }>(
    kind: StripeRequestKind,
    resource: string,
    list: (cursor: Cursor) => Promise<ListPage<T>>,
    signal: AbortSignal,
    maxPages: number,
    enough: (page: readonly T[]) => boolean = () => false,
  ): Promise<T[] | undefined> {
    const objects: T[] = [];
    let startingAfter: string | undefined;
    for (let page = 1; ; page += 1) {
      if (page > maxPages) return undefined;
      throwIfAborted(signal);
      const cursor = {
        limit: pageSize,
        ...(startingAfter ? { starting_after: startingAfter } : {}),
      };
      const what = `listing ${resource} (page ${page})`;
      const result: unknown = await this.request(kind, what, () => list(cursor), signal, {
        resource,
        page,
      });
      if (!isList(result)) {
        throw new StripeSourceError(`Stripe's answer while ${what} is not a list.`);
      }
      objects.push(...(result.data as T[]));
      if (page % progressEveryPages === 0) {
        this.log.info(
          { resource, pages: page, objects: objects.length },
          'Stripe sync in progress',
        );
      }
      if (!result.has_more || enough(result.data as T[])) {
        this.log.debug({ resource, pages: page, objects: objects.length }, 'Stripe list read');
        return objects;
      }
      const last = result.data.at(-1)?.id;
      // A cursor that does not move would loop forever.
      if (typeof last !== 'string' || last === startingAfter) {
        throw new StripeSourceError(
          `Stripe's answer while ${what} has more pages but no new cursor.`,
        );
      }
      startingAfter = last;
    }
  }

  /** One object by id; undefined when Stripe no longer has it (404 resource_missing). */
  async retrieve<T extends { id: string }>(
    resource: string,
    id: string,
    call: () => Promise<T>,
    signal: AbortSignal,
  ): Promise<T | undefined> {
    try {
      const found: unknown = await this.request(
        'retrieve',
        `retrieving ${resource} ${id}`,
        call,
        signal,
        { resource, id },
      );
      if (typeof found !== 'object' || found === null || (found as { id?: unknown }).id !== id) {
        throw new StripeSourceError(
          `Stripe's answer while retrieving ${resource} ${id} is not that object.`,
        );
      }
      return found as T;
    } catch (error) {
      if (error instanceof StripeSourceError && error.code === 'resource_missing') return undefined;
      throw error;
    }
  }
}
