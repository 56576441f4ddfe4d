import type { Logger } from 'pino';
import Stripe from 'stripe';
import type { Config } from '../config/schema.js';
import type { BillingSnapshotSource } from '../sources/sources.js';
import { version } from '../version.js';
import { sleep, throwIfAborted, untilAborted } from './abortable.js';
import { backoffMs, classifyStripeError, redactKey } from './stripe-errors.js';
import {
  buildCatalogue,
  customerFromStripe,
  type Reject,
  subscriptionFromStripe,
} from './stripe-mapping.js';
import { TokenBucket } from './token-bucket.js';
import type { BillingSnapshot } from './types.js';

/** The `stripe` config section with the key resolved, plus the customer metadata key of the channel. */
export type StripeSourceOptions = Omit<Config['stripe'], 'apiKey' | 'channelMetadataKey'> & {
  readonly apiKey: string;
  /** Customer metadata key holding the acquisition channel; `channel` when unset. */
  readonly channelMetadataKey?: string;
};

/** A Stripe source; `reject` receives objects left out (the log gets them when it is not given). */
export interface StripeBillingSource extends BillingSnapshotSource {
  loadSnapshot(signal: AbortSignal, reject?: Reject): Promise<BillingSnapshot>;
}

/** A sync that failed; the message says why and never contains the API key. */
export class StripeSourceError extends Error {
  override readonly name = 'StripeSourceError';
}

type Cursor = { limit: number; starting_after?: string };
type ListPage<T> = Stripe.ApiList<T>;

/**
 * Expansions, each at most four levels deep counting `data` (Stripe's limit).
 * Item prices cannot have their tiers or products expanded (five levels), so
 * prices are listed on their own and joined by id; the same for item coupons.
 */
const expand = {
  prices: ['data.tiers', 'data.product', 'data.currency_options'],
  coupons: ['data.applies_to', 'data.currency_options'],
  customers: ['data.discount.source.coupon'],
  subscriptions: [
    'data.discounts',
    'data.discounts.source.coupon',
    'data.items.data.discounts',
    'data.latest_invoice',
  ],
};

const pageSize = 100;
const progressEveryPages = 10;

const isList = (value: unknown): value is ListPage<{ id: string }> =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as ListPage<unknown>).data) &&
  typeof (value as ListPage<unknown>).has_more === 'boolean';

/**
 * Reads subscriptions, prices, coupons and customers through the official SDK
 * and maps them onto the billing model. Pages are fetched one at a time with
 * explicit cursors, so a failed page is retried alone; the SDK's own retries
 * are off because it does not retry 429s and knows nothing of our throttle.
 */
export function createStripeBillingSource(
  options: StripeSourceOptions,
  log: Logger,
): StripeBillingSource {
  const stripe = new Stripe(options.apiKey, {
    apiVersion: Stripe.API_VERSION,
    host: options.host,
    port: options.port,
    protocol: options.protocol,
    maxNetworkRetries: 0,
    timeout: Math.round(options.timeoutSeconds * 1000),
    telemetry: false,
    appInfo: { name: 'chom-exporter', version },
  });
  const bucket = new TokenBucket(options.maxRequestsPerSecond);
  const redact = (text: string) => redactKey(text, options.apiKey);
  let closed = false;

  /** One page, retried on 429 (after Retry-After), 5xx and connection errors. */
  async function fetchPage<T>(
    call: () => Promise<T>,
    resource: string,
    page: number,
    signal: AbortSignal,
  ): Promise<T> {
    const what = `listing ${resource} (page ${page})`;
    for (let retry = 0; ; retry += 1) {
      await bucket.take(signal);
      try {
        return await untilAborted(call(), signal);
      } catch (error) {
        // The abort reason, never the raw SDK error: Stripe's 401 text quotes the key.
        throwIfAborted(signal);
        const decision = classifyStripeError(error, what);
        if (decision.kind === 'fail') throw new StripeSourceError(redact(decision.message));
        if (retry >= options.maxRetries) {
          throw new StripeSourceError(
            redact(
              `Stripe kept failing while ${what}: ${decision.reason}; gave up after ${retry} retries (stripe.maxRetries).`,
            ),
          );
        }
        const waitMs = decision.retryAfterMs ?? backoffMs(retry);
        log.warn(
          {
            resource,
            page,
            retry: retry + 1,
            waitMs: Math.round(waitMs),
            reason: redact(decision.reason),
          },
          'retrying a Stripe page',
        );
        await sleep(waitMs, signal);
      }
    }
  }

  /** Every object of a list, newest first, following `starting_after` cursors. */
  async function listAll<T extends { id: string }>(
    resource: string,
    list: (cursor: Cursor) => Promise<ListPage<T>>,
    signal: AbortSignal,
  ): Promise<T[]> {
    const objects: T[] = [];
    let startingAfter: string | undefined;
    for (let page = 1; ; page += 1) {
      throwIfAborted(signal);
      const cursor = {
        limit: pageSize,
        ...(startingAfter ? { starting_after: startingAfter } : {}),
      };
      const result: unknown = await fetchPage(() => list(cursor), resource, page, signal);
      if (!isList(result)) {
        throw new StripeSourceError(
          `Stripe's answer while listing ${resource} (page ${page}) is not a list.`,
        );
      }
      objects.push(...(result.data as T[]));
      if (page % progressEveryPages === 0) {
        log.info({ resource, pages: page, objects: objects.length }, 'Stripe sync in progress');
      }
      if (!result.has_more) {
        log.debug({ resource, pages: page, objects: objects.length }, 'Stripe list read');
        return objects;
      }
      const last = result.data.at(-1)?.id;
      // A cursor that does not move would loop forever.
      if (typeof last !== 'string' || last === startingAfter) {
        throw new StripeSourceError(
          `Stripe's answer while listing ${resource} (page ${page}) has more pages but no new cursor.`,
        );
      }
      startingAfter = last;
    }
  }

  return {
    async loadSnapshot(signal, reject) {
      if (closed) throw new StripeSourceError('the Stripe source is closed');
      const report: Reject =
        reject ?? ((reason, detail) => log.warn({ reason, ...detail }, 'left out a Stripe object'));
      // The catalogue first: subscriptions refer to its prices and coupons by id.
      const prices = await listAll(
        'prices',
        (cursor) => stripe.prices.list({ ...cursor, expand: expand.prices }),
        signal,
      );
      const coupons = await listAll(
        'coupons',
        (cursor) => stripe.coupons.list({ ...cursor, expand: expand.coupons }),
        signal,
      );
      const customers = await listAll(
        'customers',
        (cursor) => stripe.customers.list({ ...cursor, expand: expand.customers }),
        signal,
      );
      // status 'all': the default list leaves out canceled subscriptions, which churn needs.
      const subscriptions = await listAll(
        'subscriptions',
        (cursor) =>
          stripe.subscriptions.list({ ...cursor, status: 'all', expand: expand.subscriptions }),
        signal,
      );
      const catalogue = buildCatalogue({ prices, coupons, customers });
      const key = options.channelMetadataKey ?? 'channel';
      return {
        subscriptions: subscriptions
          .map((sub) => subscriptionFromStripe(sub, catalogue, report))
          .filter((sub) => sub !== undefined),
        customers: customers
          .map((customer) => customerFromStripe(customer, key, report))
          .filter((customer) => customer !== undefined),
      };
    },
    async close() {
      closed = true;
    },
  };
}
