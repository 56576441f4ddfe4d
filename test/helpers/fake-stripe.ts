import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { subscriptionStatuses } from '../../src/billing/types.js';

/**
 * A loopback HTTP server that answers the endpoints the exporter reads the way
 * Stripe does (the four lists and their retrieve-by-id, the events list with
 * `types[]` and `created[gte]`, paid invoices by `status` and `created[…]` with their lines and
 * discounts expandable, cursor pagination, newest first, expand, error
 * bodies, Bearer auth), so the real SDK can be pointed at it. It holds fully
 * expanded fixture objects and collapses what a request did not expand.
 * `emit` changes an object and records the event Stripe would, so incremental
 * syncs can be tested against the same server.
 */

export type FakeStripeResource = 'subscriptions' | 'prices' | 'coupons' | 'customers' | 'invoices';

/** Which list an object belongs to, from its `object` field. */
const resourceOf: Record<string, FakeStripeResource> = {
  subscription: 'subscriptions',
  price: 'prices',
  coupon: 'coupons',
  customer: 'customers',
  invoice: 'invoices',
};

export interface FakeStripeData {
  readonly subscriptions: readonly Stripe.Subscription[];
  readonly prices: readonly Stripe.Price[];
  readonly coupons: readonly Stripe.Coupon[];
  readonly customers: readonly Stripe.Customer[];
  /** Invoices, listed by subscription and status: past-due subscriptions are dated by them. */
  readonly invoices?: readonly Stripe.Invoice[];
}

/** What the next requests answer instead of the list. */
export type FakeStripeFault =
  | 'rate_limit' // 429 with Retry-After
  | 'rate_limit_400' // 400 with code rate_limit and Retry-After, which Stripe also sends
  | 'server_error' // 500 api_error
  | 'invalid_request' // 400 invalid_request_error, which no retry changes
  | 'malformed_json' // 200 with a cut-off JSON body of the announced length
  | 'drop_connection'; // the socket is closed without an answer

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** `expand[]` values in order. */
  readonly expand: readonly string[];
  /** performance.now() at arrival, in ms. */
  readonly at: number;
  readonly stripeVersion: string | undefined;
  status?: number;
}

interface ResourceRules {
  readonly object: string;
  /** Fields holding an id unless expanded (paths inside one list element). */
  readonly expandable: readonly string[];
  /** Fields Stripe leaves out unless expanded. */
  readonly includable: readonly string[];
  /** Fields never sent on this list (expanding them would exceed four levels). */
  readonly omitted: readonly string[];
}

const rules: Record<FakeStripeResource, ResourceRules> = {
  subscriptions: {
    object: 'subscription',
    expandable: [
      'customer',
      'latest_invoice',
      'discounts',
      'discounts.source.coupon',
      'items.data.discounts',
      'items.data.discounts.source.coupon',
      'items.data.price.product',
    ],
    includable: [],
    omitted: [
      'items.data.price.tiers',
      'items.data.price.currency_options',
      'items.data.plan.tiers',
      'items.data.plan.product',
    ],
  },
  prices: {
    object: 'price',
    expandable: ['product'],
    includable: ['tiers', 'currency_options'],
    omitted: [],
  },
  coupons: {
    object: 'coupon',
    expandable: [],
    includable: ['applies_to', 'currency_options'],
    omitted: [],
  },
  customers: {
    object: 'customer',
    expandable: ['discount.source.coupon'],
    includable: [],
    omitted: [],
  },
  invoices: {
    object: 'invoice',
    expandable: [
      'customer',
      'parent.subscription_details.subscription',
      'discounts',
      'discounts.source.coupon',
      'lines.data.discounts',
      'lines.data.discounts.source.coupon',
    ],
    includable: [],
    omitted: [],
  },
};

/** Filters of `GET /v1/invoices` the fake honours (Stripe's names). */
const invoiceStatuses = ['draft', 'open', 'paid', 'uncollectible', 'void'];

/** Statuses the subscription list returns without a `status` filter: not ended ones. */
const endedStatuses = ['canceled', 'incomplete_expired'];

type Json = Record<string, unknown>;

/**
 * An event as the fake records and lists it. Deliberately not `Stripe.Event`:
 * spreading that union of every event type in a test costs the type checker
 * minutes, and the fake only ever needs these fields.
 */
export interface FakeEvent {
  readonly id: string;
  readonly object: 'event';
  readonly api_version: string;
  readonly created: number;
  readonly data: { readonly object: Json };
  readonly livemode: false;
  readonly pending_webhooks: number;
  readonly request: { readonly id: null; readonly idempotency_key: null };
  readonly type: string;
}

class FakeStripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: { type: string; message: string; code?: string; param?: string },
  ) {
    super(body.message);
  }
}

/** Calls `leaf(holder, key)` for every object the dotted path leads to, through arrays. */
function visit(
  value: unknown,
  path: readonly string[],
  leaf: (holder: Json, key: string) => void,
): void {
  if (Array.isArray(value)) {
    for (const element of value) visit(element, path, leaf);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) leaf(value as Json, head);
  else visit((value as Json)[head], rest, leaf);
}

const toRef = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(toRef);
  if (typeof value === 'object' && value !== null && typeof (value as Json).id === 'string') {
    return (value as Json).id;
  }
  return value;
};

/** The wire form: Decimal amounts become strings through their toJSON, as on the real API. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class FakeStripe {
  readonly requests: LoggedRequest[] = [];
  /** Delay before every answer, in ms. */
  latencyMs = 0;
  rateLimitPerSecond = Number.POSITIVE_INFINITY;
  private readonly recentArrivals: number[] = [];
  private readonly faults: {
    kind: FakeStripeFault;
    retryAfterSeconds: number;
    path?: string;
  }[] = [];
  /** Lists (and their objects) answered with an error status instead, by `refuse` or `deny`. */
  private readonly refused = new Map<FakeStripeResource | 'events', number>();
  private readonly byId = new Map<string, Json>();
  private readonly data: Record<FakeStripeResource, { id: string; created: number }[]>;
  /** Customers deleted through `emit`: retrieving one answers a deleted stub, as Stripe does. */
  private readonly deletedCustomers = new Set<string>();
  private readonly events: FakeEvent[] = [];
  private readonly server: Server;

  private constructor(
    private readonly apiKey: string,
    data: FakeStripeData,
  ) {
    this.data = {
      subscriptions: [...data.subscriptions],
      prices: [...data.prices],
      coupons: [...data.coupons],
      customers: [...data.customers],
      invoices: [...(data.invoices ?? [])],
    };
    for (const list of Object.values(this.data) as (readonly { id: string }[])[]) {
      for (const object of list) this.byId.set(object.id, wire(object) as unknown as Json);
    }
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.destroy(error as Error);
      });
    });
  }

  static async start(options: {
    apiKey: string;
    data?: Partial<FakeStripeData>;
    latencyMs?: number;
    /** Like Stripe's limiter: more requests than this in the last second answer 429. */
    rateLimitPerSecond?: number;
  }): Promise<FakeStripe> {
    const data = {
      subscriptions: [],
      prices: [],
      coupons: [],
      customers: [],
      invoices: [],
      ...options.data,
    };
    const fake = new FakeStripe(options.apiKey, data);
    fake.latencyMs = options.latencyMs ?? 0;
    fake.rateLimitPerSecond = options.rateLimitPerSecond ?? Number.POSITIVE_INFINITY;
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The SDK client options that send requests here. */
  get clientOptions(): { host: string; port: number; protocol: 'http' } {
    return { host: '127.0.0.1', port: this.port, protocol: 'http' };
  }

  /** The next `count` requests (to paths starting with `path`, when given) fail this way. */
  injectFaults(
    kind: FakeStripeFault,
    count: number,
    options: { retryAfterSeconds?: number; path?: string } = {},
  ): void {
    for (let i = 0; i < count; i += 1) {
      this.faults.push({
        kind,
        retryAfterSeconds: options.retryAfterSeconds ?? 1,
        ...(options.path ? { path: options.path } : {}),
      });
    }
  }

  /** Answers 403 on this list (and its objects), as for a restricted key without read access to it. */
  deny(resource: FakeStripeResource | 'events'): void {
    this.refuse(resource, 403);
  }

  /**
   * Answers `status` on this list (and its objects) with the error body Stripe
   * sends for it: 401 a rejected key, 403 a missing permission, 404 an unknown
   * URL (a proxy or a Stripe-compatible server without the endpoint), any other
   * 4xx an invalid request.
   */
  refuse(resource: FakeStripeResource | 'events', status: number): void {
    this.refused.set(resource, status);
  }

  /** Lifts a `deny` or `refuse`. */
  allow(resource: FakeStripeResource | 'events'): void {
    this.refused.delete(resource);
  }

  /** The error a `refuse`d list answers, if it is one. */
  private refusal(
    resource: FakeStripeResource | 'events',
    method: string | undefined,
    path: string,
    key: string | undefined,
  ): FakeStripeError | undefined {
    const status = this.refused.get(resource);
    if (status === undefined) return undefined;
    if (status === 403) return permissionDenied(key);
    if (status === 401) {
      return new FakeStripeError(401, {
        type: 'invalid_request_error',
        message: `Invalid API Key provided: ${key ?? '(none)'}`,
      });
    }
    if (status === 404) {
      return new FakeStripeError(404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      });
    }
    return new FakeStripeError(status, {
      type: 'invalid_request_error',
      message: `This request cannot be served (HTTP ${status}).`,
    });
  }

  requestsTo(resource: FakeStripeResource): LoggedRequest[] {
    return this.requests.filter((r) => r.path === `/v1/${resource}`);
  }

  /**
   * Records an event of `type` about `object` and, unless the object is a
   * discount (which lives on its holder), applies it: creates or
   * replaces the object, or removes it for `*.deleted` (a deleted customer then
   * retrieves as a stub, a deleted price or coupon as 404; a subscription is
   * never removed, Stripe cancels it). `created` backdates the event, as one
   * that shows up in the list late. Returns the event.
   */
  emit(
    type: string,
    object: { id: string; object?: string },
    options: { created?: number } = {},
  ): FakeEvent {
    const resource = resourceOf[object.object ?? ''];
    if (resource) {
      const list = this.data[resource];
      const at = list.findIndex((o) => o.id === object.id);
      if (type.endsWith('.deleted') && resource !== 'subscriptions') {
        if (at >= 0) list.splice(at, 1);
        this.byId.delete(object.id);
        if (resource === 'customers') this.deletedCustomers.add(object.id);
      } else {
        const stored = object as { id: string; created: number };
        if (at >= 0) list[at] = stored;
        else list.push(stored);
        this.byId.set(object.id, wire(object) as unknown as Json);
      }
    }
    const sequence = this.events.length + 1;
    const event: FakeEvent = {
      id: `evt_${String(sequence).padStart(8, '0')}`,
      object: 'event',
      api_version: '2024-06-20',
      created: options.created ?? Math.floor(Date.now() / 1000),
      // The object as the event carries it: references collapsed, in the account's API version.
      data: { object: wire(object) },
      livemode: false,
      pending_webhooks: 0,
      request: { id: null, idempotency_key: null },
      type,
    };
    this.events.push(event);
    return event;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests that arrived in the last second, this one included. */
  private countArrival(at: number): number {
    this.recentArrivals.push(at);
    while ((this.recentArrivals[0] ?? at) <= at - 1000) this.recentArrivals.shift();
    return this.recentArrivals.length;
  }

  /** The first injected fault meant for this path, removed from the queue. */
  private takeFault(path: string) {
    const at = this.faults.findIndex((f) => f.path === undefined || path.startsWith(f.path));
    return at >= 0 ? this.faults.splice(at, 1)[0] : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const expand = [...url.searchParams]
      .filter(([key]) => /^expand(\[\d*\])?$/.test(key))
      .map(([, value]) => value);
    const entry: LoggedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query,
      expand,
      at: performance.now(),
      stripeVersion: req.headers['stripe-version'] as string | undefined,
    };
    this.requests.push(entry);
    const overLimit = this.countArrival(entry.at) > this.rateLimitPerSecond;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const fault = overLimit
      ? { kind: 'rate_limit' as const, retryAfterSeconds: 1 }
      : this.takeFault(entry.path);
    if (fault?.kind === 'drop_connection') {
      entry.status = 0;
      req.socket.destroy();
      return;
    }
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'request-id': `req_fake_${this.requests.length}`,
        ...headers,
      });
      res.end(text);
    };
    if (fault) {
      const retryAfter = { 'retry-after': String(fault.retryAfterSeconds) };
      const rateLimited = {
        type: 'invalid_request_error',
        code: 'rate_limit',
        message: 'Too many requests hit the API too quickly.',
      };
      if (fault.kind === 'rate_limit') return send(429, { error: rateLimited }, retryAfter);
      if (fault.kind === 'rate_limit_400') return send(400, { error: rateLimited }, retryAfter);
      if (fault.kind === 'server_error') {
        return send(500, {
          error: { type: 'api_error', message: 'Something went wrong on our end.' },
        });
      }
      if (fault.kind === 'invalid_request') {
        return send(400, {
          error: { type: 'invalid_request_error', message: 'Invalid request (injected).' },
        });
      }
      return send(200, '{"object":"list","data":[{"id":"sub_');
    }
    try {
      send(200, this.answer(req, url.pathname, query, expand));
    } catch (error) {
      if (!(error instanceof FakeStripeError)) throw error;
      send(error.status, { error: error.body });
    }
  }

  private answer(
    req: IncomingMessage,
    path: string,
    query: Record<string, string>,
    expand: string[],
  ) {
    const presented = /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1];
    if (presented !== this.apiKey) {
      // Stripe masks most of the key it quotes; quoting all of it here makes the
      // exporter's own redaction the only thing keeping it out of errors and logs.
      throw new FakeStripeError(401, {
        type: 'invalid_request_error',
        message: `Invalid API Key provided: ${presented ?? '(none)'}`,
      });
    }
    if (req.method === 'GET' && path === '/v1/events') {
      const refused = this.refusal('events', req.method, path, presented);
      if (refused) throw refused;
      return this.listEvents(query);
    }
    const [, name, id] =
      /^\/v1\/(subscriptions|prices|coupons|customers|invoices)(?:\/([^/]+))?$/.exec(path) ?? [];
    const resource = name as FakeStripeResource | undefined;
    if (req.method !== 'GET' || !resource) {
      throw new FakeStripeError(404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${req.method}: ${path}).`,
      });
    }
    const refused = this.refusal(resource, req.method, path, presented);
    if (refused) throw refused;
    if (id !== undefined) return this.retrieve(resource, decodeURIComponent(id), expand);
    const limit = parseLimit(query.limit);
    const requested = parseExpand(expand, rules[resource]);
    const ordered = this.filter(resource, query)
      .slice()
      .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const { page, hasMore } = paginate(ordered, limit, query, rules[resource].object);
    return {
      object: 'list',
      data: page.map((object) => this.render(object, rules[resource], requested)),
      has_more: hasMore,
      url: `/v1/${resource}`,
    };
  }

  /** GET /v1/{resource}/{id}: expand paths name fields of the object itself (no `data.`). */
  private retrieve(resource: FakeStripeResource, id: string, expand: string[]): Json {
    const rule = rules[resource];
    const requested = parseExpand(
      expand.map((path) => `data.${path}`),
      rule,
    );
    const found = this.data[resource].find((o) => o.id === id);
    if (found) return this.render(found, rule, requested);
    if (resource === 'customers' && this.deletedCustomers.has(id)) {
      return { id, object: 'customer', deleted: true };
    }
    throw new FakeStripeError(404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such ${rule.object}: '${id}'`,
      param: 'id',
    });
  }

  /** GET /v1/events: newest first, filtered by `types[]` and `created[gte]`, paged by cursor. */
  private listEvents(query: Record<string, string>) {
    const types = Object.entries(query)
      .filter(([key]) => /^types\[\d*\]$/.test(key))
      .map(([, value]) => value);
    if (types.length > 20) {
      throw new FakeStripeError(400, {
        type: 'invalid_request_error',
        message: 'You may pass at most 20 types.',
        param: 'types',
      });
    }
    const since = query['created[gte]'];
    if (since !== undefined && !/^\d+$/.test(since)) {
      throw new FakeStripeError(400, {
        type: 'invalid_request_error',
        message: `Invalid integer: ${since}`,
        param: 'created[gte]',
      });
    }
    const ordered = this.events
      .filter((e) => types.length === 0 || types.includes(e.type))
      .filter((e) => since === undefined || e.created >= Number(since))
      .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    const { page, hasMore } = paginate(ordered, parseLimit(query.limit), query, 'event');
    return { object: 'list', data: page, has_more: hasMore, url: '/v1/events' };
  }

  private filter(resource: FakeStripeResource, query: Record<string, string>) {
    const all: readonly { id: string; created: number }[] = this.data[resource];
    if (resource === 'invoices') return this.filterInvoices(query);
    if (resource !== 'subscriptions') return all;
    const status = query.status;
    const subscriptions = this.data.subscriptions as Stripe.Subscription[];
    if (status === 'all') return subscriptions;
    if (status === undefined) return subscriptions.filter((s) => !endedStatuses.includes(s.status));
    if (status === 'ended') return subscriptions.filter((s) => endedStatuses.includes(s.status));
    if (!(subscriptionStatuses as readonly string[]).includes(status)) {
      throw new FakeStripeError(400, {
        type: 'invalid_request_error',
        message: `Invalid status: must be one of all, ended, ${subscriptionStatuses.join(', ')}`,
        param: 'status',
      });
    }
    return subscriptions.filter((s) => s.status === status);
  }

  /** GET /v1/invoices filters: `subscription` (the parent), `customer`, `status` and `created[…]`. */
  private filterInvoices(query: Record<string, string>) {
    const { subscription, customer, status } = query;
    const created = createdFilter(query);
    if (status !== undefined && !invoiceStatuses.includes(status)) {
      throw new FakeStripeError(400, {
        type: 'invalid_request_error',
        message: `Invalid status: must be one of ${invoiceStatuses.join(', ')}`,
        param: 'status',
      });
    }
    const idOf = (ref: unknown) =>
      typeof ref === 'string' ? ref : (ref as { id?: string } | null)?.id;
    return (this.data.invoices as Stripe.Invoice[]).filter(
      (invoice) =>
        (subscription === undefined ||
          idOf(invoice.parent?.subscription_details?.subscription) === subscription) &&
        (customer === undefined || idOf(invoice.customer) === customer) &&
        (status === undefined || invoice.status === status) &&
        created(invoice.created),
    );
  }

  /** One object as a list answer carries it, given what was expanded. */
  private render(object: { id: string }, rule: ResourceRules, requested: readonly string[]): Json {
    const out = wire(object) as unknown as Json;
    const wanted = (path: string) => requested.some((r) => r === path || r.startsWith(`${path}.`));
    for (const path of rule.omitted)
      visit(out, path.split('.'), (holder, key) => delete holder[key]);
    for (const path of rule.includable) {
      if (!wanted(path)) visit(out, path.split('.'), (holder, key) => delete holder[key]);
    }
    // Shallow paths first, so a collapsed parent leaves nothing below it to visit.
    const byDepth = [...rule.expandable].sort((a, b) => a.split('.').length - b.split('.').length);
    for (const path of byDepth) {
      visit(out, path.split('.'), (holder, key) => {
        holder[key] = wanted(path) ? this.expandRef(holder[key]) : toRef(holder[key]);
      });
    }
    return out;
  }

  /** An expanded reference: the object itself, looked up when the fixture holds only its id. */
  private expandRef(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.expandRef(v));
    if (typeof value === 'string') {
      const found = this.byId.get(value);
      return found ? wire(found) : value;
    }
    return value;
  }
}

/** Stripe's range filter on `created`: `created[gte|gt|lte|lt]`, integers (Unix seconds). */
function createdFilter(query: Record<string, string>): (created: number) => boolean {
  const bounds: [string, (created: number, bound: number) => boolean][] = [
    ['gte', (c, b) => c >= b],
    ['gt', (c, b) => c > b],
    ['lte', (c, b) => c <= b],
    ['lt', (c, b) => c < b],
  ];
  const checks = bounds.flatMap(([name, holds]) => {
    const value = query[`created[${name}]`];
    if (value === undefined) return [];
    if (!/^\d+$/.test(value)) {
      throw new FakeStripeError(400, {
        type: 'invalid_request_error',
        message: `Invalid integer: ${value}`,
        param: `created[${name}]`,
      });
    }
    return [(created: number) => holds(created, Number(value))];
  });
  return (created) => checks.every((check) => check(created));
}

function permissionDenied(key: string | undefined): FakeStripeError {
  return new FakeStripeError(403, {
    type: 'invalid_request_error',
    message: `The provided key '${key}' does not have the required permissions for this endpoint.`,
  });
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return 10;
  const limit = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(limit >= 1 && limit <= 100)) {
    throw new FakeStripeError(400, {
      type: 'invalid_request_error',
      code: 'parameter_invalid_integer',
      message: `Invalid limit: must be between 1 and 100 (got ${value})`,
      param: 'limit',
    });
  }
  return limit;
}

/** Expand paths of a list start with `data.`, go at most four levels deep and name expandable fields. */
function parseExpand(expand: readonly string[], rule: ResourceRules): string[] {
  return expand.map((path) => {
    const invalid = (message: string) =>
      new FakeStripeError(400, { type: 'invalid_request_error', message, param: 'expand' });
    if (path.split('.').length > 4) {
      throw invalid(`You cannot expand more than 4 levels of a property. Property: ${path}`);
    }
    const inner = path.startsWith('data.') ? path.slice('data.'.length) : undefined;
    if (!inner || ![...rule.expandable, ...rule.includable].includes(inner)) {
      throw invalid(`This property cannot be expanded (${path}).`);
    }
    return inner;
  });
}

/** Stripe's cursors: the page after `starting_after`, or the page just before `ending_before`. */
function paginate<T extends { id: string }>(
  ordered: readonly T[],
  limit: number,
  query: Record<string, string>,
  objectName: string,
): { page: readonly T[]; hasMore: boolean } {
  const after = query.starting_after;
  const before = query.ending_before;
  if (after !== undefined && before !== undefined) {
    throw new FakeStripeError(400, {
      type: 'invalid_request_error',
      message: 'You may only specify one of these parameters: ending_before, starting_after.',
    });
  }
  const cursor = after ?? before;
  const index = cursor === undefined ? -1 : ordered.findIndex((o) => o.id === cursor);
  if (cursor !== undefined && index < 0) {
    throw new FakeStripeError(400, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such ${objectName}: '${cursor}'`,
      param: after !== undefined ? 'starting_after' : 'ending_before',
    });
  }
  if (before !== undefined) {
    const start = Math.max(0, index - limit);
    return { page: ordered.slice(start, index), hasMore: start > 0 };
  }
  const start = index + 1;
  return { page: ordered.slice(start, start + limit), hasMore: start + limit < ordered.length };
}
