import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../app/config.js';
import type { Sources } from '../collectors/sources.js';
import type { AnyCollector, CollectorContext } from '../collectors/types.js';
import { createSelfMetrics } from '../metrics/self-metrics.js';
import { type MetricSpec, type Sample, sample } from '../metrics/spec.js';
import type { SqlSource } from '../sources/sql-source.js';
import { CollectorRunner, CollectorTimeoutError, type RunnerDeps } from './runner.js';

const metrics: MetricSpec[] = [
  { name: 'chom_fake_value', help: 'A value.', type: 'gauge', labelNames: ['kind'], unit: 'count' },
  {
    name: 'chom_fake_events_total',
    help: 'Events.',
    type: 'counter',
    labelNames: [],
    unit: 'count',
  },
];

/** A source that fails the test if a fake collector ever reaches it. */
const unusedSource: SqlSource = {
  readOnly: () => Promise.reject(new Error('the fake collectors do not query')),
  close: () => Promise.resolve(),
};
const sources: Sources = { app: unusedSource, events: unusedSource };

type Collect = (ctx: CollectorContext<unknown, unknown>) => Promise<readonly Sample[]>;

function fakeCollector(
  name: string,
  collect: Collect,
  extra: Partial<AnyCollector> = {},
): AnyCollector {
  return {
    name,
    description: `fake collector ${name}`,
    source: 'postgres',
    defaultSchedule: '* * * * *',
    defaultTimeoutSeconds: 5,
    optionsSchema: z.object({}).strict(),
    metrics,
    collect,
    ...extra,
  };
}

function setup(overrides: Partial<RunnerDeps> = {}) {
  const registry = new Registry();
  const deps: RunnerDeps = {
    registry,
    selfMetrics: createSelfMetrics(registry, 'test'),
    sources,
    labelSets: parseConfig({}).labels,
    kpi: parseConfig({}).kpi,
    log: pino({ level: 'silent' }),
    shutdown: new AbortController().signal,
    ...overrides,
  };
  const runner = (collector: AnyCollector, timeoutSeconds = 5) =>
    new CollectorRunner(
      collector,
      { enabled: true, schedule: '* * * * *', timeoutSeconds },
      {},
      deps,
    );
  /** The value of a self-metric for the given labels, or undefined when the series does not exist. */
  const value = async (name: string, labels: Record<string, string>) => {
    const metric = await registry.getSingleMetric(name)?.get();
    return metric?.values.find(
      (entry) =>
        Object.keys(entry.labels).length === Object.keys(labels).length &&
        Object.entries(labels).every(([key, v]) => entry.labels[key] === v),
    )?.value;
  };
  return { registry, deps, runner, value };
}

/** A promise with its resolve function, for collectors the test finishes by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const goodSamples = [
  sample('chom_fake_value', 3, { kind: 'a' }),
  sample('chom_fake_value', 4, { kind: 'b' }),
  sample('chom_fake_events_total', 10),
];

describe('CollectorRunner', () => {
  it('zero-initialises runs, errors and series before the first run', async () => {
    const { runner, value } = setup();
    runner(fakeCollector('fresh', async () => goodSamples));
    const labels = { collector: 'fresh' };
    expect(await value('chom_collector_runs_total', labels)).toBe(0);
    expect(await value('chom_collector_errors_total', labels)).toBe(0);
    expect(await value('chom_collector_series', labels)).toBe(0);
  });

  it('exports the timeout it applies to each collector, before any run', async () => {
    const { runner, value } = setup();
    runner(
      fakeCollector('quick', async () => goodSamples),
      7,
    );
    runner(
      fakeCollector('slow', async () => goodSamples),
      300,
    );
    expect(await value('chom_collector_timeout_seconds', { collector: 'quick' })).toBe(7);
    expect(await value('chom_collector_timeout_seconds', { collector: 'slow' })).toBe(300);
  });

  it('computes as of the run start from the runner clock', async () => {
    let clock = Date.UTC(2024, 1, 29, 23, 59, 59, 500);
    const seen: Date[] = [];
    const { runner } = setup({ now: () => clock });
    const timed = runner(
      fakeCollector('timed', async ({ at }) => {
        seen.push(at);
        clock += 1000;
        return goodSamples;
      }),
    );
    await timed.run();
    await timed.run();
    expect(seen.map((at) => at.toISOString())).toEqual([
      '2024-02-29T23:59:59.500Z',
      '2024-03-01T00:00:00.500Z',
    ]);
  });

  it('publishes the samples of a successful run and records its success', async () => {
    let clock = 1_700_000_000_000;
    const { runner, value } = setup({ now: () => clock });
    const ok = runner(
      fakeCollector('good', async () => {
        clock += 2500;
        return goodSamples;
      }),
    );

    expect(await ok.run()).toBe(true);

    const labels = { collector: 'good' };
    expect(await value('chom_collector_success', labels)).toBe(1);
    expect(await value('chom_collector_series', labels)).toBe(goodSamples.length);
    expect(await value('chom_collector_runs_total', labels)).toBe(1);
    expect(await value('chom_collector_errors_total', labels)).toBe(0);
    expect(await value('chom_collector_duration_seconds', labels)).toBe(2.5);
    expect(await value('chom_collector_last_success_timestamp_seconds', labels)).toBe(clock / 1000);
    expect(ok.exposition).toContain('chom_fake_value{kind="a"} 3\n');
    expect(ok.exposition).toContain('chom_fake_value{kind="b"} 4\n');
    expect(ok.exposition).toContain('chom_fake_events_total 10\n');
    expect(ok.currentStatus).toMatchObject({
      name: 'good',
      running: false,
      lastSuccess: true,
      lastSuccessAt: new Date(clock),
      lastError: undefined,
      series: goodSamples.length,
    });
  });

  it('on a failed run reports the error and keeps serving the last good series', async () => {
    const { runner, value } = setup();
    let fail = false;
    const flaky = runner(
      fakeCollector('flaky', async () => {
        if (fail) throw new Error('database went away');
        return goodSamples;
      }),
    );
    await flaky.run();
    const goodExposition = flaky.exposition;

    fail = true;
    expect(await flaky.run()).toBe(false);

    const labels = { collector: 'flaky' };
    expect(await value('chom_collector_success', labels)).toBe(0);
    expect(await value('chom_collector_errors_total', labels)).toBe(1);
    expect(await value('chom_collector_runs_total', labels)).toBe(2);
    expect(await value('chom_collector_series', labels)).toBe(goodSamples.length);
    expect(flaky.exposition).toBe(goodExposition);
    expect(flaky.exposition).toContain('chom_fake_value{kind="a"} 3\n');
    expect(flaky.currentStatus).toMatchObject({
      lastSuccess: false,
      lastError: 'database went away',
      series: goodSamples.length,
    });
  });

  it('cuts off a run that never finishes at the timeout, without holding up other runners', async () => {
    const { runner, value } = setup();
    let seenSignal: AbortSignal | undefined;
    const hung = runner(
      fakeCollector('hung', (ctx) => {
        seenSignal = ctx.signal;
        return new Promise(() => {});
      }),
      0.05,
    );
    const quick = runner(fakeCollector('quick', async () => goodSamples));

    expect(await Promise.all([hung.run(), quick.run()])).toEqual([false, true]);

    expect(hung.currentStatus.lastError).toBe(new CollectorTimeoutError(0.05).message);
    expect(seenSignal?.aborted).toBe(true);
    expect(await value('chom_collector_success', { collector: 'hung' })).toBe(0);
    expect(await value('chom_collector_errors_total', { collector: 'hung' })).toBe(1);
    expect(await value('chom_collector_success', { collector: 'quick' })).toBe(1);
    expect(await value('chom_collector_errors_total', { collector: 'quick' })).toBe(0);
    expect(quick.exposition).toContain('chom_fake_value{kind="a"} 3\n');
  });

  it('stops a run cut short by shutdown without reporting it as a failure', async () => {
    const shutdown = new AbortController();
    const lines: { level: number; msg: string }[] = [];
    const log = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line)) },
    );
    const { runner, value } = setup({ shutdown: shutdown.signal, log });
    const started = deferred<void>();
    const slow = runner(
      fakeCollector('slow', () => {
        started.resolve();
        return new Promise(() => {});
      }),
    );
    const run = slow.run();
    await started.promise;
    shutdown.abort(new Error('shutting down'));
    expect(await run).toBe(false);
    // The source did not fail: no error logged or counted, no failed status.
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.map((line) => line.msg)).toContain('run stopped: shutting down or reloading');
    expect(slow.currentStatus.lastError).toBeUndefined();
    expect(slow.currentStatus.lastSuccess).toBeUndefined();
    expect(await value('chom_collector_errors_total', { collector: 'slow' })).toBe(0);
    expect(await value('chom_collector_success', { collector: 'slow' })).toBeUndefined();
  });

  it('returns the run in flight instead of starting a second one', async () => {
    const { runner } = setup();
    const gate = deferred<readonly Sample[]>();
    let calls = 0;
    const gated = runner(
      fakeCollector('gated', () => {
        calls += 1;
        return gate.promise;
      }),
    );

    const first = gated.run();
    const second = gated.run();
    expect(second).toBe(first);
    expect(gated.currentStatus.running).toBe(true);

    gate.resolve(goodSamples);
    expect(await second).toBe(true);
    expect(calls).toBe(1);
    expect(gated.currentStatus.running).toBe(false);

    await gated.run();
    expect(calls).toBe(2);
  });

  it('counts rows the collector rejects and samples the publisher rejects, by reason', async () => {
    const { runner, value } = setup();
    const rejecting = runner(
      fakeCollector('rejecting', async ({ reject }) => {
        reject('null_value', { query: 'q', column: 'n' });
        reject('null_value', { query: 'q', column: 'n' });
        reject('not_a_number', { query: 'q', column: 'n' });
        return [
          sample('chom_fake_value', 1, { kind: 'a' }),
          sample('chom_fake_value', 2, { kind: 'a' }),
          sample('chom_undeclared', 1),
        ];
      }),
    );

    expect(await rejecting.run()).toBe(true);

    const count = (reason: string) =>
      value('chom_collector_rows_rejected_total', { collector: 'rejecting', reason });
    expect(await count('null_value')).toBe(2);
    expect(await count('not_a_number')).toBe(1);
    expect(await count('duplicate_series')).toBe(1);
    expect(await count('unknown_metric')).toBe(1);
    expect(await value('chom_collector_series', { collector: 'rejecting' })).toBe(1);
  });

  it('keeps the state from createState across runs, one state per runner', async () => {
    const { runner } = setup();
    let created = 0;
    const counting = fakeCollector(
      'stateful',
      async ({ state }) => {
        const s = state as { runs: number };
        s.runs += 1;
        return [sample('chom_fake_events_total', s.runs)];
      },
      {
        createState: () => {
          created += 1;
          return { runs: 0 };
        },
      },
    );
    const first = runner(counting);
    const second = runner(counting);

    await first.run();
    await first.run();
    await first.run();
    await second.run();

    expect(created).toBe(2);
    expect(first.exposition).toContain('chom_fake_events_total 3\n');
    expect(second.exposition).toContain('chom_fake_events_total 1\n');
  });
});

describe('CollectorRunner state on reload', () => {
  const counting = (handovers: unknown[]) =>
    fakeCollector(
      'stateful',
      async ({ state }) => {
        const s = state as { runs: number };
        s.runs += 1;
        return [sample('chom_fake_events_total', s.runs)];
      },
      {
        createState: () => ({ runs: 0 }),
        inheritState: (previous: { state: { runs: number } }) => {
          handovers.push(previous.state);
          return { runs: previous.state.runs };
        },
      },
    );
  const runnerIn = (collector: AnyCollector, stateScope: string) =>
    setup({ stateScope }).runner(collector);

  it('hands the state over within the same database, as the collector builds it', async () => {
    const handovers: unknown[] = [];
    const before = runnerIn(counting(handovers), 'postgres://db/a');
    await before.run();
    await before.run();
    const after = runnerIn(counting(handovers), 'postgres://db/a');
    expect(after.inheritFrom(before)).toBe(true);
    await after.run();
    expect(handovers).toEqual([{ runs: 2 }]);
    expect(after.exposition).toContain('chom_fake_events_total 3\n');
  });

  it('starts over when the collector reads another database', async () => {
    const handovers: unknown[] = [];
    const before = runnerIn(counting(handovers), 'postgres://db/a');
    await before.run();
    const after = runnerIn(counting(handovers), 'postgres://db/b');
    expect(after.inheritFrom(before)).toBe(true);
    await after.run();
    expect(handovers).toEqual([]);
    expect(after.exposition).toContain('chom_fake_events_total 1\n');
  });
});
