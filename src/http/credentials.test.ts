import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';
import { BcryptWorkers } from './bcrypt-workers.js';
import { Credentials } from './credentials.js';

const password = 'correct horse battery staple';
const passwordHash = bcrypt.hashSync(password, 4);
const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('Credentials', () => {
  const workers = new BcryptWorkers({ threads: 1 });
  afterAll(() => workers.close());

  /** Credentials on the shared workers with a clock the test moves; and the comparisons each check costs. */
  function setup() {
    const clock = { now: 1_000_000 };
    const credentials = new Credentials(
      { basic: { username: 'prometheus', passwordHash }, bearerToken: 'scrape-token-0123456789' },
      workers,
      () => clock.now,
    );
    const cost = async (header: string) => {
      const before = workers.comparisons;
      const verdict = await credentials.check(header);
      return { verdict, comparisons: workers.comparisons - before };
    };
    return { clock, credentials, cost };
  }

  it('costs a wrong username the same bcrypt comparison as a wrong password', async () => {
    const { cost } = setup();
    expect(await cost(basic('prometheus', 'wrong'))).toEqual({ verdict: 'denied', comparisons: 1 });
    expect(await cost(basic('grafana', 'wrong'))).toEqual({ verdict: 'denied', comparisons: 1 });
    // Even with the right password: the username alone decides nothing sooner.
    expect(await cost(basic('grafana', password))).toEqual({ verdict: 'denied', comparisons: 1 });
    expect(await cost(basic('prometheus', password))).toEqual({ verdict: 'ok', comparisons: 1 });
  });

  it('checks a repeated wrong header once, concurrent repeats included, for five minutes', async () => {
    const { clock, credentials, cost } = setup();
    const header = basic('prometheus', 'guess-1');
    const before = workers.comparisons;
    const verdicts = await Promise.all(Array.from({ length: 20 }, () => credentials.check(header)));
    expect(new Set(verdicts)).toEqual(new Set(['denied']));
    expect(workers.comparisons - before).toBe(1);
    expect(await cost(header)).toEqual({ verdict: 'denied', comparisons: 0 });
    // Another guess is another comparison: the cache holds what was seen, nothing more.
    expect(await cost(basic('prometheus', 'guess-2'))).toEqual({
      verdict: 'denied',
      comparisons: 1,
    });
    clock.now += 5 * 60_000;
    expect(await cost(header)).toEqual({ verdict: 'denied', comparisons: 1 });
  });

  it('remembers valid credentials for ten minutes, then checks them again', async () => {
    const { clock, cost } = setup();
    const header = basic('prometheus', password);
    expect(await cost(header)).toEqual({ verdict: 'ok', comparisons: 1 });
    clock.now += 10 * 60_000 - 1;
    expect(await cost(header)).toEqual({ verdict: 'ok', comparisons: 0 });
    clock.now += 1;
    expect(await cost(header)).toEqual({ verdict: 'ok', comparisons: 1 });
  });

  it('compares a bearer token without bcrypt and refuses other schemes', async () => {
    const { cost } = setup();
    expect(await cost('Bearer scrape-token-0123456789')).toEqual({ verdict: 'ok', comparisons: 0 });
    expect(await cost('Bearer scrape-token-012345678X')).toEqual({
      verdict: 'denied',
      comparisons: 0,
    });
    expect(await cost('Digest something')).toEqual({ verdict: 'denied', comparisons: 0 });
    expect(await cost('Basic bm8tY29sb24')).toEqual({ verdict: 'denied', comparisons: 0 });
  });
});

describe('BcryptWorkers', () => {
  it('refuses at once past its queue instead of queueing without bound', async () => {
    const workers = new BcryptWorkers({ threads: 1, maxQueued: 2 });
    const slowHash = bcrypt.hashSync('x', 10);
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => workers.compare(`guess-${i}`, slowHash)),
      );
      // One comparing, two queued, two refused.
      expect(results.map((r) => r.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'rejected',
      ]);
      expect(await workers.compare('x', slowHash)).toBe(true);
    } finally {
      await workers.close();
    }
  });
});
