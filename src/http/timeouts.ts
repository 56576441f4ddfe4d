/** How long the HTTP server waits on a client; none of them may hold a connection forever. */
export interface HttpTimeouts {
  /** To receive a whole request, headers and body (Fastify's default, 0, never cuts a slow body). */
  readonly requestMs: number;
  /** A connection with no traffic in either direction while a request is under way. */
  readonly idleMs: number;
  /** An idle keep-alive connection between requests. */
  readonly keepAliveMs: number;
  /** How often Node checks requests against `requestMs` (its default is every 30 s). */
  readonly checkIntervalMs: number;
}

/**
 * A scrape or a webhook is a few hundred bytes to 256 kB sent at once, so ten
 * seconds is generous; keep-alive stays longer than the 60 s idle timeout of
 * common load balancers, as Fastify's default (72 s) does.
 */
export const defaultHttpTimeouts: HttpTimeouts = {
  requestMs: 10_000,
  idleMs: 30_000,
  keepAliveMs: 72_000,
  checkIntervalMs: 1_000,
};

/** The Fastify options (and the Node server options under them) that apply the timeouts. */
export function timeoutOptions(timeouts: HttpTimeouts) {
  return {
    fastify: {
      requestTimeout: timeouts.requestMs,
      connectionTimeout: timeouts.idleMs,
      keepAliveTimeout: timeouts.keepAliveMs,
    },
    server: {
      // Headers are part of the request: not longer than the request itself.
      headersTimeout: timeouts.requestMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
  };
}
