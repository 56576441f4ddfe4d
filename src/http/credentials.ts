import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { BaseConfig } from '../config/schema.js';
import { type BcryptWorkers, VerifierBusyError } from './bcrypt-workers.js';
import { RecentKeys } from './recent-keys.js';

export type AuthConfig = NonNullable<BaseConfig['server']['auth']>;

/** What a request's credentials are worth: `busy` when they could not be checked now. */
export type Verdict = 'ok' | 'denied' | 'busy';

/**
 * How long a checked Authorization header is remembered. A scraper sending the
 * same credentials every 15 s pays bcrypt once per ten minutes; a client
 * repeating a wrong password costs one check per five minutes. Both sets are
 * bounded, and replaced with the credentials on reload.
 */
const cacheSettings = {
  successes: { maxEntries: 100, ttlMs: 10 * 60_000 },
  failures: { maxEntries: 1000, ttlMs: 5 * 60_000 },
};

const sameText = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * Checks Authorization headers against `server.auth`: basic (bcrypt hash, as
 * the Prometheus exporter toolkit's web config) or a bearer token. Every basic
 * check costs the same bcrypt comparison, against the configured hash, whether
 * or not the username is right, so the answer time does not tell usernames
 * apart. Headers are remembered by an HMAC under a key drawn at startup, never
 * as text, so the caches hold nothing a memory dump could turn into a password.
 */
export class Credentials {
  private readonly hmacKey = randomBytes(32);
  private readonly successes: RecentKeys;
  private readonly failures: RecentKeys;
  private readonly inFlight = new Map<string, Promise<Verdict>>();

  constructor(
    private readonly auth: AuthConfig,
    private readonly workers: BcryptWorkers,
    now: () => number = Date.now,
  ) {
    this.successes = new RecentKeys(
      cacheSettings.successes.maxEntries,
      cacheSettings.successes.ttlMs,
      now,
    );
    this.failures = new RecentKeys(
      cacheSettings.failures.maxEntries,
      cacheSettings.failures.ttlMs,
      now,
    );
  }

  check(header: string | undefined): Promise<Verdict> {
    if (!header) return Promise.resolve('denied');
    const [scheme = '', value = ''] = header.split(' ', 2);
    if (scheme.toLowerCase() === 'bearer') {
      const token = this.auth.bearerToken;
      return Promise.resolve(token !== undefined && sameText(value, token) ? 'ok' : 'denied');
    }
    if (scheme.toLowerCase() !== 'basic' || !this.auth.basic) return Promise.resolve('denied');
    const key = createHmac('sha256', this.hmacKey).update(header).digest('base64');
    if (this.successes.has(key)) return Promise.resolve('ok');
    if (this.failures.has(key)) return Promise.resolve('denied');
    // The same header arriving many times at once is checked once.
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.checkBasic(value, this.auth.basic).then((verdict) => {
        if (verdict === 'ok') this.successes.add(key);
        if (verdict === 'denied') this.failures.add(key);
        return verdict;
      });
      pending.finally(() => this.inFlight.delete(key)).catch(() => {});
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async checkBasic(
    encoded: string,
    basic: NonNullable<AuthConfig['basic']>,
  ): Promise<Verdict> {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return 'denied';
    const userMatches = sameText(decoded.slice(0, colon), basic.username);
    try {
      const passwordMatches = await this.workers.compare(
        decoded.slice(colon + 1),
        basic.passwordHash,
      );
      return userMatches && passwordMatches ? 'ok' : 'denied';
    } catch (error) {
      if (error instanceof VerifierBusyError) return 'busy';
      throw error;
    }
  }
}
