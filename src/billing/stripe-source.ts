import type { Logger } from 'pino';
import Stripe from 'stripe';
import type { BaseConfig } from '../config/schema.js';
import type { Reject } from '../shared/reject.js';
import { version } from '../version.js';
import type {
  BillingHistoryRequest,
  BillingSnapshotSource,
  BillingSourceObserver,
} from './billing-source.js';
import {
  addEventChanges,
  changeCount,
  type EventLike,
  noChanges,
  paidInvoiceOf,
  type StripeChanges,
  watchedEventTypes,
} from './stripe-changes.js';
import { StripeInvoiceHistory } from './stripe-invoice-history.js';
import { isDunning, StripeInvoiceReader } from './stripe-invoices.js';
import { buildCatalogue, customerFromStripe, subscriptionFromStripe } from './stripe-mapping.js';
import { isAvoidableRefusal, isRefusal, StripeReader, StripeSourceError } from './stripe-reader.js';
import { StripeSyncPolicy } from './stripe-sync-policy.js';
import type { BillingInvoice, BillingSnapshot } from './types.js';

export { StripeSourceError } from './stripe-reader.js';

/** How a round read Stripe: the `chom_stripe_syncs_total{mode}` label. */
export type StripeSyncMode = 'full' | 'incremental';

/** The `stripe` config section with the key resolved, plus hooks for the self-metrics. */
export type StripeSourceOptions = Omit<
  BaseConfig['stripe'],
  | 'apiKey'
  | 'channelMetadataKey'
  | 'fullSyncIntervalSeconds'
  | 'webhookSecret'
  | 'webhookToleranceSeconds'
> & {
  readonly apiKey: string;
  /** Customer metadata key holding the acquisition channel; `channel` when unset. */
  readonly channelMetadataKey?: string;
  /** Seconds between full syncs; rounds in between read events only. 0: every round is full. */
  readonly fullSyncIntervalSeconds?: number;
  /** The clock, in ms (tests move it). */
  readonly now?: () => number;
};

/** A Stripe source; `reject` receives objects left out (the log gets them when it is not given). */
export interface StripeBillingSource extends BillingSnapshotSource {
  loadSnapshot(
    signal: AbortSignal,
    reject?: Reject,
    history?: BillingHistoryRequest,
  ): Promise<BillingSnapshot>;
  observe(observer: BillingSourceObserver): void;
  /**
   * Takes an event delivered by a (verified) webhook: the objects it names are
   * fetched again at the next round, and the same event read from the events
   * list later is not fetched twice. False when the event does not matter here,
   * or when billing has never read Stripe (it reads the billing mirror).
   */
  notify(event: EventLike & { readonly created?: unknown }): boolean;
}

/**
 * Expansions, each at most four levels deep counting `data` (Stripe's limit).
 * Item prices cannot have their tiers or products expanded (five levels), so
 * prices are listed on their own and joined by id; the same for item coupons.
 * A retrieve takes the same paths without the leading `data.`.
 */
const expand = {
  prices: ['data.tiers', 'data.product', 'data.currency_options'],
  coupons: ['data.applies_to', 'data.currency_options'],
  customers: ['data.discount.source.coupon'],
  subscriptions: ['data.discounts', 'data.discounts.source.coupon', 'data.items.data.discounts'],
};
const single = (paths: readonly string[]) => paths.map((path) => path.slice('data.'.length));

/**
 * Events become visible in the list a little after their `created` time; each
 * poll reads this far back again (events already taken are skipped by id), so
 * a late one is not missed.
 */
const overlapSeconds = 120;

/** Everything the last sync read, by id: what the snapshot is computed from. */
interface Mirror {
  readonly prices: Map<string, Stripe.Price>;
  readonly coupons: Map<string, Stripe.Coupon>;
  readonly customers: Map<string, Stripe.Customer>;
  readonly subscriptions: Map<string, Stripe.Subscription>;
  /** The current dunning episode's invoices of past-due and unpaid subscriptions, when read. */
  readonly invoices: Map<string, BillingInvoice[]>;
  /** Unix seconds: the next poll reads events created at or after this. */
  eventsSince: number;
}

const byId = <T extends { id: string }>(list: readonly T[]) =>
  new Map(list.map((object) => [object.id, object]));

/**
 * Reads subscriptions, prices, coupons and customers through the official SDK
 * and maps them onto the billing model. The first round lists everything (pages
 * of 100); later rounds read only the events since the previous one and fetch
 * again the objects those events name, until `fullSyncIntervalSeconds` calls
 * for a full list again (which also repairs anything an event missed).
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
  let requests = 0;
  let observer: BillingSourceObserver | undefined;
  const reader = new StripeReader(
    {
      apiKey: options.apiKey,
      maxRequestsPerSecond: options.maxRequestsPerSecond,
      maxRetries: options.maxRetries,
      onRequest: (kind) => {
        requests += 1;
        observer?.onRequest(kind);
      },
    },
    log,
  );
  const invoiceReader = new StripeInvoiceReader(reader, stripe, log);
  const now = options.now ?? Date.now;
  const fullSyncIntervalMs = (options.fullSyncIntervalSeconds ?? 0) * 1000;
  // Paid invoices for item history (plan changes), read only when billing asks for a past.
  const invoiceHistory = new StripeInvoiceHistory(reader, stripe, log, {
    now,
    retryRefusedMs: Math.max(fullSyncIntervalMs, 60 * 60 * 1000),
  });
  let mirror: Mirror | undefined;
  /** Objects to fetch again, kept across a failed round so no change is lost. */
  let pending = noChanges();
  /** Events already taken (from the list or a webhook), with their `created`, pruned as the window moves. */
  const taken = new Map<string, number>();
  /** When to list everything and when to read events only (stripe-sync-policy.ts). */
  const policy = new StripeSyncPolicy(fullSyncIntervalMs);
  let closed = false;

  const listPrices = (signal: AbortSignal) =>
    reader.listAll(
      'list',
      'prices',
      (cursor) => stripe.prices.list({ ...cursor, expand: expand.prices }),
      signal,
    );

  async function fullSync(signal: AbortSignal): Promise<Mirror> {
    policy.fullSyncStarting();
    const before = requests;
    // The lists supersede whatever was pending. Events from here on (listed or
    // delivered) are taken at the next round: a change made while the lists are
    // read may or may not be in them.
    const startedAt = now();
    pending = noChanges();
    taken.clear();
    // The catalogue first: subscriptions refer to its prices and coupons by id.
    const prices = await listPrices(signal);
    const coupons = await reader.listAll(
      'list',
      'coupons',
      (cursor) => stripe.coupons.list({ ...cursor, expand: expand.coupons }),
      signal,
    );
    const customers = await reader.listAll(
      'list',
      'customers',
      (cursor) => stripe.customers.list({ ...cursor, expand: expand.customers }),
      signal,
    );
    // status 'all': the default list leaves out canceled subscriptions, which churn needs.
    const subscriptions = await reader.listAll(
      'list',
      'subscriptions',
      (cursor) =>
        stripe.subscriptions.list({ ...cursor, status: 'all', expand: expand.subscriptions }),
      signal,
    );
    // Invoices change without their subscription changing (a paid or voided older
    // invoice): a full sync reads them again, and asks again after a refusal.
    invoiceReader.reset();
    const invoices = new Map<string, BillingInvoice[]>();
    for (const sub of subscriptions) await readEpisode(invoices, sub, signal);
    policy.fullSyncDone(startedAt, requests - before);
    observer?.onSync('full');
    return {
      prices: byId(prices),
      coupons: byId(coupons),
      customers: byId(customers),
      subscriptions: byId(subscriptions),
      invoices,
      // Overlapping too: a change stamped just before the lists started, by a clock behind ours.
      eventsSince: Math.floor(startedAt / 1000) - overlapSeconds,
    };
  }

  /**
   * Adds the events since the last poll to `pending` and moves the window; false,
   * with nothing added, when listing them would cost more than a full sync.
   */
  async function readEvents(state: Mirror, signal: AbortSignal): Promise<boolean> {
    const polledAt = Math.floor(now() / 1000);
    const events = await reader.listUpTo(
      'events',
      'events',
      (cursor) =>
        stripe.events.list({
          ...cursor,
          types: [...watchedEventTypes],
          created: { gte: state.eventsSince },
        }),
      signal,
      policy.incrementalBudget,
    );
    if (!events) return false;
    for (const event of events) {
      if (taken.has(event.id)) continue;
      addEventChanges(pending, event);
      notePaidInvoice(event);
      taken.set(event.id, event.created);
    }
    state.eventsSince = Math.max(state.eventsSince, polledAt - overlapSeconds);
    for (const [id, created] of taken) if (created < state.eventsSince) taken.delete(id);
    return true;
  }

  /** An invoice paid later than the paid-invoice lists look back: item history retrieves it. */
  function notePaidInvoice(event: EventLike): void {
    const paid = paidInvoiceOf(event);
    if (paid) invoiceHistory.notePaid(paid);
  }

  /** The dunning invoices of `sub` into `into` when it is past due or unpaid; out of it otherwise. */
  async function readEpisode(
    into: Map<string, BillingInvoice[]>,
    sub: Stripe.Subscription,
    signal: AbortSignal,
  ): Promise<void> {
    const episode = isDunning(sub) ? await invoiceReader.episodeOf(sub.id, signal) : undefined;
    if (episode) into.set(sub.id, episode);
    else into.delete(sub.id);
  }

  /** Returns an id to pending when its request failed, and rethrows. */
  const putBack =
    (set: Set<string>, id: string) =>
    (error: unknown): never => {
      set.add(id);
      throw error;
    };

  /** Fetches every pending object again; each leaves `pending` just before its request. */
  async function applyPending(state: Mirror, signal: AbortSignal): Promise<void> {
    const changes: StripeChanges = pending;
    if (changes.allPrices) {
      // Cleared before the request: a product event arriving meanwhile sets it again.
      changes.allPrices = false;
      const prices = await listPrices(signal).catch((error: unknown) => {
        changes.allPrices = true;
        throw error;
      });
      state.prices.clear();
      for (const price of prices) state.prices.set(price.id, price);
      changes.prices.clear();
    }
    await refetch('price', changes.prices, state.prices, (id) =>
      stripe.prices.retrieve(id, { expand: single(expand.prices) }),
    );
    await refetch('coupon', changes.coupons, state.coupons, (id) =>
      stripe.coupons.retrieve(id, { expand: single(expand.coupons) }),
    );
    await refetch('customer', changes.customers, state.customers, (id) =>
      stripe.customers.retrieve(id, { expand: single(expand.customers) }),
    );
    await refetch(
      'subscription',
      changes.subscriptions,
      state.subscriptions,
      (id) => stripe.subscriptions.retrieve(id, { expand: single(expand.subscriptions) }),
      // An invoice event names its subscription: its dunning episode is read again with it.
      (sub) => readEpisode(state.invoices, sub, signal),
    );

    /**
     * Each id in turn, into `into`, or out of it when Stripe no longer has the
     * object; `then` reads what depends on a retrieved object.
     */
    async function refetch<T extends { id: string }>(
      resource: string,
      ids: Set<string>,
      into: Map<string, T>,
      retrieve: (id: string) => Promise<T | Stripe.DeletedCustomer>,
      then?: (found: T) => Promise<void>,
    ): Promise<void> {
      for (const id of [...ids]) {
        // Out of pending before the request: a webhook naming it meanwhile puts it back.
        ids.delete(id);
        const found = await reader
          .retrieve(resource, id, () => retrieve(id), signal)
          .catch(putBack(ids, id));
        // A deleted customer answers a stub with `deleted: true`.
        if (found && !('deleted' in found && found.deleted)) {
          into.set(id, found as T);
          await then?.(found as T).catch(putBack(ids, id));
        } else into.delete(id);
      }
    }
  }

  /** The events since the last round, applied; false when a full sync is due instead. */
  async function incrementalSync(state: Mirror, signal: AbortSignal): Promise<boolean> {
    try {
      if (!(await readEvents(state, signal))) {
        log.info(
          { fullSyncRequests: policy.incrementalBudget },
          'more Stripe events since the last round than a full sync costs: syncing in full',
        );
        return false;
      }
    } catch (error) {
      if (!isAvoidableRefusal(error)) throw error;
      // One warning per refusal, however many rounds it lasts.
      if (policy.eventsRefused(now())) {
        log.warn(
          { status: error.statusCode, reason: error.message },
          'Stripe refused the events list (403: give the key Events: Read): every round lists everything; the events are asked for again once per fullSyncIntervalSeconds',
        );
      }
      return false;
    }
    if (policy.eventsAnswered()) {
      log.info('Stripe answers the events list again: rounds are incremental again');
    }
    const count = changeCount(pending);
    if (policy.fullSyncCheaper(count)) {
      log.info(
        { changedObjects: count, fullSyncRequests: policy.incrementalBudget },
        'more Stripe objects changed than a full sync costs: syncing in full',
      );
      return false;
    }
    try {
      await applyPending(state, signal);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      // Stripe refused one object outright (retrying cannot help): kept pending,
      // it would fail every round until the next full sync, so sync in full now.
      log.warn(
        { reason: error.message },
        'Stripe refused to retrieve a changed object: syncing in full instead',
      );
      return false;
    }
    observer?.onSync('incremental');
    return true;
  }

  function snapshotOf(state: Mirror, reject: Reject, withHistory: boolean): BillingSnapshot {
    const customers = [...state.customers.values()];
    const catalogue = buildCatalogue({
      prices: [...state.prices.values()],
      coupons: [...state.coupons.values()],
      customers,
      invoices: state.invoices,
    });
    const key = options.channelMetadataKey ?? 'channel';
    const subscriptions = [...state.subscriptions.values()]
      .map((sub) => subscriptionFromStripe(sub, catalogue, reject))
      .filter((sub) => sub !== undefined);
    return {
      subscriptions: withHistory
        ? invoiceHistory.apply(subscriptions, state.subscriptions, catalogue, reject)
        : subscriptions,
      customers: customers
        .map((customer) => customerFromStripe(customer, key, reject))
        .filter((customer) => customer !== undefined),
    };
  }

  return {
    async loadSnapshot(signal, reject, history) {
      if (closed) throw new StripeSourceError('the Stripe source is closed');
      const round = policy.nextRound(now());
      const report: Reject =
        reject ?? ((reason, detail) => log.warn({ reason, ...detail }, 'left out a Stripe object'));
      const before = requests;
      let mode: StripeSyncMode = 'incremental';
      if (round === 'full' || !mirror || !(await incrementalSync(mirror, signal))) {
        mirror = await fullSync(signal);
        mode = 'full';
      }
      if (history) await invoiceHistory.refresh(history.since, signal);
      log.debug({ mode, requests: requests - before }, 'Stripe sync done');
      return snapshotOf(mirror, report, history !== undefined);
    },
    observe(next) {
      observer = next;
    },
    notify(event) {
      if (!policy.takesWebhooks || typeof event.id !== 'string' || taken.has(event.id))
        return false;
      if (!addEventChanges(pending, event)) return false;
      notePaidInvoice(event);
      const created = typeof event.created === 'number' ? event.created : Math.floor(now() / 1000);
      taken.set(event.id, created);
      return true;
    },
    async close() {
      closed = true;
    },
  };
}
