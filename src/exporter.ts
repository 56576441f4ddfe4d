import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createRunners, runAll } from './collectors/collector-set.js';
import type { CollectorRunner } from './collectors/runner.js';
import type { AnyCollector } from './collectors/types.js';
import type { Config } from './config/schema.js';
import { createSelfMetrics } from './metrics/self-metrics.js';
import { scheduleRunners } from './scheduler.js';
import type { Sources } from './sources/sources.js';
import { version } from './version.js';

/**
 * The collection side of the service: a registry, one runner per enabled
 * collector and their schedules. HTTP only ever reads from the registry.
 */
export class Exporter {
  readonly registry = new Registry();
  readonly runners: CollectorRunner[];
  private readonly shutdown = new AbortController();
  private firstRound: Promise<number> | undefined;
  private stopSchedules: (() => Promise<void>) | undefined;
  private roundDone = false;

  constructor(
    config: Config,
    private readonly sources: Sources,
    private readonly log: Logger,
    collectors?: readonly AnyCollector[],
  ) {
    const selfMetrics = createSelfMetrics(this.registry, version);
    this.runners = createRunners(
      config,
      { registry: this.registry, selfMetrics, sources, log, shutdown: this.shutdown.signal },
      collectors,
    );
  }

  /** The full exposition: self-metrics, then each collector's pre-rendered series. */
  async exposition(): Promise<string> {
    const own = await this.registry.metrics();
    return own + this.runners.map((runner) => runner.exposition).join('');
  }

  /** True once every collector has finished its first run, successful or not. */
  get ready(): boolean {
    return this.roundDone;
  }

  /** Runs every collector once now, then on its schedule. Resolves after the first round. */
  start(): Promise<number> {
    if (!this.firstRound) {
      this.firstRound = runAll(this.runners, this.log).finally(() => {
        this.roundDone = true;
      });
      this.stopSchedules = scheduleRunners(this.runners, this.log);
    }
    return this.firstRound;
  }

  /** Runs every collector once without scheduling (tests, `once`). */
  async runOnce(): Promise<number> {
    const failed = await runAll(this.runners, this.log);
    this.roundDone = true;
    return failed;
  }

  /** Stops schedules and cuts in-flight runs short; the caller closes the sources. */
  async stop(): Promise<void> {
    await this.stopSchedules?.();
    this.shutdown.abort(new Error('shutting down'));
    await this.firstRound?.catch(() => {});
  }

  get sourceClients(): Sources {
    return this.sources;
  }
}
