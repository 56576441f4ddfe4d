import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { Sources } from '../collectors/sources.js';
import type { EnabledCollector } from '../collectors/types.js';
import type { BaseConfig } from '../config/schema.js';
import { createSelfMetrics, type SelfMetrics } from '../metrics/self-metrics.js';
import { version } from '../version.js';
import { createRunners, runAll } from './collector-set.js';
import type { CollectorRunner } from './runner.js';
import { scheduleRunners } from './scheduler.js';

const gzipAsync = promisify(gzip);

/** One configuration's runners, schedules and in-flight runs. */
interface Generation {
  readonly runners: CollectorRunner[];
  readonly shutdown: AbortController;
  stopSchedules?: () => Promise<void>;
  firstRound?: Promise<number>;
}

/**
 * The collection side of the service: a registry, one runner per enabled
 * collector and their schedules. HTTP only ever reads from it. A reload swaps
 * in a new generation of runners; the registry and its counters carry over.
 */
export class Exporter {
  readonly registry = new Registry();
  private readonly selfMetrics: SelfMetrics;
  private generation: Generation;
  private started = false;
  private roundDone = false;
  /** Bumped on every change to what /metrics shows; the rendered bytes are cached per version. */
  private version = 0;
  private cache: { version: number; text: Promise<string>; gzip?: Promise<Buffer> } | undefined;
  private readonly markChanged = () => {
    this.version += 1;
  };

  constructor(
    config: BaseConfig,
    private sources: Sources,
    private readonly log: Logger,
    /** The collectors a configuration runs (the composition root's registry and custom SQL). */
    private readonly select: (config: BaseConfig) => readonly EnabledCollector[],
  ) {
    this.selfMetrics = createSelfMetrics(this.registry, version);
    this.generation = this.build(config, sources);
  }

  /** Runs requested by `runSoon`, by collector, not yet started. */
  private readonly soon = new Map<string, NodeJS.Timeout>();

  get runners(): readonly CollectorRunner[] {
    return this.generation.runners;
  }

  get sourceClients(): Sources {
    return this.sources;
  }

  /**
   * The full exposition: self-metrics, then each collector's pre-rendered
   * series. Rendered once per change, so scrapes between collection runs only
   * copy bytes: no query, no rendering.
   */
  exposition(): Promise<string> {
    return this.current().text;
  }

  /** The same exposition, gzip-compressed once per change. */
  compressedExposition(): Promise<Buffer> {
    const entry = this.current();
    entry.gzip ??= entry.text.then((text) => gzipAsync(text));
    return entry.gzip;
  }

  private current(): { version: number; text: Promise<string>; gzip?: Promise<Buffer> } {
    if (this.cache?.version !== this.version) {
      const runners = this.generation.runners;
      const text = this.registry
        .metrics()
        .then((own) => own + runners.map((runner) => runner.exposition).join(''));
      this.cache = { version: this.version, text };
    }
    return this.cache;
  }

  /** True once every collector has finished its first run, successful or not. */
  get ready(): boolean {
    return this.roundDone;
  }

  /** Runs every collector once now, then on its schedule. Resolves after the first round. */
  start(): Promise<number> {
    this.started = true;
    return this.startGeneration(this.generation);
  }

  /** Runs every collector once without scheduling (tests, `once`). */
  async runOnce(): Promise<number> {
    const failed = await runAll(this.generation.runners, this.log);
    this.roundDone = true;
    return failed;
  }

  /**
   * Replaces the runners with ones built from a new (already validated)
   * configuration and sources. The old generation's schedules stop and its
   * in-flight runs are cut short; the old series are served until the new
   * runners publish theirs. Returns the sources it replaced, for the caller to
   * close; `retire`, when given, closes them before the new runners start, so
   * the old connections are gone (their queries cancelled) before new ones open.
   */
  async reconfigure(
    config: BaseConfig,
    sources: Sources,
    retire?: (replaced: Sources) => Promise<void>,
  ): Promise<Sources> {
    const previous = this.generation;
    const next = this.build(config, sources);
    await this.stopGeneration(previous);
    const kept = new Map(next.runners.map((runner) => [runner.collector.name, runner]));
    for (const runner of previous.runners) {
      const successor = kept.get(runner.collector.name);
      // A collector that is gone, or whose metrics were redeclared, starts over.
      if (!successor?.inheritFrom(runner)) {
        await this.forget(runner.collector.name);
        successor?.initSelfMetrics();
      }
    }
    const replaced = this.sources;
    this.sources = sources;
    this.generation = next;
    this.markChanged();
    await retire?.(replaced);
    if (this.started) void this.startGeneration(next);
    return replaced;
  }

  /**
   * Runs a collector out of schedule, `delayMs` from now (a webhook says its
   * data changed). Requests within the delay share one run; a run under way is
   * followed by another, so a change it may have missed is read. Only once the
   * schedules are started; false when the collector is not enabled.
   */
  runSoon(name: string, delayMs: number): boolean {
    if (!this.started) return false;
    const runnerNamed = () => this.generation.runners.find((r) => r.collector.name === name);
    if (!runnerNamed()) return false;
    if (this.soon.has(name)) return true;
    const timer = setTimeout(() => {
      this.soon.delete(name);
      // Looked up now: a reload may have replaced the runner meanwhile.
      const runner = runnerNamed();
      if (!runner) return;
      // The runner logs and counts its own failures; run() never rejects.
      void (async () => {
        if (runner.currentStatus.running) await runner.run();
        // Again after the wait: a reload meanwhile replaces (and stops) this runner.
        await runnerNamed()?.run();
      })();
    }, delayMs);
    timer.unref();
    this.soon.set(name, timer);
    return true;
  }

  /**
   * Something else registered on `registry` changed (a counter billing keeps):
   * the next scrape renders afresh instead of serving the cached bytes.
   */
  registryChanged(): void {
    this.markChanged();
  }

  /** Records the outcome of a reload attempt in the reload self-metrics. */
  recordReload(successful: boolean): void {
    this.selfMetrics.reloadSuccessful.set(successful ? 1 : 0);
    if (successful) this.selfMetrics.reloadTimestamp.set(Date.now() / 1000);
    this.markChanged();
  }

  /** Stops schedules and cuts in-flight runs short; the caller closes the sources. */
  async stop(): Promise<void> {
    for (const timer of this.soon.values()) clearTimeout(timer);
    this.soon.clear();
    await this.stopGeneration(this.generation);
  }

  private build(config: BaseConfig, sources: Sources): Generation {
    const shutdown = new AbortController();
    const runners = createRunners(
      config,
      {
        registry: this.registry,
        selfMetrics: this.selfMetrics,
        sources,
        log: this.log,
        shutdown: shutdown.signal,
        onChange: this.markChanged,
      },
      this.select(config),
    );
    return { runners, shutdown };
  }

  private startGeneration(generation: Generation): Promise<number> {
    if (!generation.firstRound) {
      generation.firstRound = runAll(generation.runners, this.log).finally(() => {
        this.roundDone = true;
      });
      generation.stopSchedules = scheduleRunners(generation.runners, this.log);
    }
    return generation.firstRound;
  }

  private async stopGeneration(generation: Generation): Promise<void> {
    await generation.stopSchedules?.();
    generation.shutdown.abort(new Error('shutting down'));
    await generation.firstRound?.catch(() => {});
  }

  /**
   * A collector disabled by a reload leaves no self-metric series behind; one
   * whose metrics were redeclared starts its history over.
   */
  private async forget(collector: string): Promise<void> {
    const { success, lastSuccess, duration, series, interval, timeout, runs, errors } =
      this.selfMetrics;
    for (const metric of [success, lastSuccess, duration, series, interval, timeout, runs, errors])
      metric.remove({ collector });
    // Rejections are also labelled by reason: remove every reason this collector had.
    const { rowsRejected } = this.selfMetrics;
    for (const { labels } of (await rowsRejected.get()).values) {
      if (labels.collector === collector)
        rowsRejected.remove({ collector, reason: String(labels.reason) });
    }
  }
}
