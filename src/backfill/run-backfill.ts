import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../app/config.js';
import { backfillability } from '../collectors/as-of.js';
import { enabledCollectors } from '../collectors/enabled.js';
import type { Sources } from '../collectors/sources.js';
import type { EnabledCollector } from '../collectors/types.js';
import { recordingRulesYaml } from '../generate/prometheus-rules.js';
import type { MetricSpec, Sample } from '../metrics/spec.js';
import { ChunkFile } from './chunk-file.js';
import {
  acceptedSamples,
  contextAt,
  type EvaluationDeps,
  evaluateAt,
  evaluationDeps,
} from './evaluate.js';
import { Progress } from './progress.js';
import { createBlocks, createRuleBlocks, rulesArguments } from './promtool-steps.js';
import { ruleLayers } from './rule-layers.js';
import { type StepSeries, seriesHookOf } from './series-hook.js';
import { type BackfillState, configHash, openState, saveState } from './state-file.js';

/**
 * Chunk (and block) length: 486 h, a Prometheus block range (2 h × 3⁵) and the
 * largest block a Prometheus keeping 400 days makes itself (a tenth of its
 * retention). Chunks are aligned to it as promtool aligns blocks, so each
 * OpenMetrics file becomes one block.
 */
export const chunkMs = 486 * 3_600_000;

export interface BackfillRequest {
  readonly from: number;
  readonly to: number;
  readonly stepMs: number;
  readonly out: string;
  readonly concurrency: number;
  /** The `job` label a scrape of the exporter gets: the history continues the live series. */
  readonly job: string;
  /** Paths of the binaries, when found; without promtool only OpenMetrics files are written. */
  readonly promtool?: string;
  readonly prometheus?: string;
}

export interface BackfillIo {
  readonly log: Logger;
  readonly stderr: NodeJS.WriteStream;
  /** Aborted on SIGINT: the chunk under way is dropped, the state keeps the others. */
  readonly interrupt: AbortSignal;
  readonly progressIntervalMs?: number;
}

export interface BackfillOutcome {
  readonly interrupted: boolean;
  readonly stepsTotal: number;
  readonly stepsDone: number;
  readonly stepsThisRun: number;
  readonly skipped: readonly { collector: string; reason: string }[];
  readonly files: readonly string[];
  readonly blocks: 'created' | 'no-promtool';
  readonly rules: 'created' | 'no-promtool' | 'no-prometheus' | 'none';
  /** Time spent inside collectors (their queries), summed over evaluations, in seconds. */
  readonly collectorSeconds: number;
  /** Of which in the grouped passes (collectors with a series hook, read once for the range). */
  readonly groupedSeconds: number;
  readonly rejected: ReadonlyMap<string, number>;
}

/** Which enabled collectors the backfill runs, and which it skips (with why). */
export function backfillCollectors(config: Config): {
  run: EnabledCollector[];
  skipped: { collector: string; reason: string }[];
} {
  const run: EnabledCollector[] = [];
  const skipped: { collector: string; reason: string }[] = [];
  for (const enabled of enabledCollectors(config)) {
    const verdict = backfillability(enabled.collector, enabled.options);
    if (verdict.backfillable) run.push(enabled);
    else skipped.push({ collector: enabled.collector.name, reason: verdict.reason });
  }
  return { run, skipped };
}

/** The step instants from `from` every `stepMs` up to and including `to`. */
export function stepCount(from: number, to: number, stepMs: number): number {
  return Math.floor((to - from) / stepMs) + 1;
}

export async function runBackfill(
  config: Config,
  sources: Sources,
  request: BackfillRequest,
  io: BackfillIo,
): Promise<BackfillOutcome> {
  const { run: collectors, skipped } = backfillCollectors(config);
  for (const { collector, reason } of skipped)
    io.stderr.write(`skipping collector ${collector}: ${reason}\n`);
  const hash = configHash({
    collectors: collectors.map(({ collector, options }) => [collector.name, options]),
    job: request.job,
    labels: config.labels,
    kpi: config.kpi,
  });
  const state = openState(request.out, {
    from: request.from,
    stepMs: request.stepMs,
    configHash: hash,
  });
  saveState(request.out, state);
  const total = stepCount(request.from, request.to, request.stepMs);
  const first = state.doneThrough
    ? Math.round((Date.parse(state.doneThrough) - request.from) / request.stepMs) + 1
    : 0;
  const rejected = new Map<string, number>();
  const deps = evaluationDeps(config, sources, io.log, { interrupt: io.interrupt, rejected });
  const outcome = await writeOpenMetrics({ collectors, state, request, deps, io, first, total });
  const base = { stepsTotal: total, skipped, rejected, ...outcome };
  const files = state.chunks.map((chunk) => join(request.out, chunk.file));
  if (outcome.interrupted)
    return { ...base, files, blocks: 'no-promtool', rules: 'none', interrupted: true };

  const rulesYaml = recordingRulesYaml(config.kpi);
  if (!request.promtool) {
    writeRuleLayers(request.out, rulesYaml);
    return { ...base, files, blocks: 'no-promtool', rules: 'no-promtool', interrupted: false };
  }
  const dataDir = join(request.out, 'data');
  mkdirSync(dataDir, { recursive: true });
  for (const chunk of state.chunks.filter((c) => !c.blocks)) {
    if (io.interrupt.aborted)
      return { ...base, files, blocks: 'no-promtool', rules: 'none', interrupted: true };
    io.stderr.write(`creating blocks from ${chunk.file}\n`);
    await createBlocks({
      promtool: request.promtool,
      file: join(request.out, chunk.file),
      dataDir,
      staging: join(request.out, '.blocks-staging'),
      blockMs: chunkMs,
      signal: io.interrupt,
    });
    chunk.blocks = true;
    saveState(request.out, state);
  }
  const lastStep =
    request.from +
    (state.doneThrough ? Date.parse(state.doneThrough) - request.from : -request.stepMs);
  const rulesFrom = state.rulesThrough
    ? Date.parse(state.rulesThrough) + request.stepMs
    : request.from;
  if (!request.prometheus) {
    writeRuleLayers(request.out, rulesYaml);
    return { ...base, files, blocks: 'created', rules: 'no-prometheus', interrupted: false };
  }
  if (rulesFrom <= lastStep) {
    await createRuleBlocks({
      promtool: request.promtool,
      prometheus: request.prometheus,
      rulesYaml,
      dataDir,
      workDir: join(request.out, '.rules-work'),
      startMs: rulesFrom,
      endMs: lastStep,
      stepMs: request.stepMs,
      blockMs: chunkMs,
      signal: io.interrupt,
      onLayer: (layer, layers) =>
        io.stderr.write(`recording rules' history: layer ${layer} of ${layers}\n`),
    });
    state.rulesThrough = new Date(lastStep).toISOString();
    saveState(request.out, state);
  }
  return { ...base, files, blocks: 'created', rules: 'created', interrupted: false };
}

/** The rules split in dependency layers, for the commands printed when promtool or prometheus is missing. */
function writeRuleLayers(out: string, rulesYaml: string): void {
  const dir = join(out, 'rules');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [index, yaml] of ruleLayers(rulesYaml).entries())
    writeFileSync(join(dir, `layer-${index + 1}.rules.yml`), yaml);
}

/** The commands to run by hand when promtool or prometheus is not here. */
export function manualCommands(request: BackfillRequest, state: { lastStepMs: number }): string[] {
  const out = request.out;
  const layers = join(out, 'rules', 'layer-N.rules.yml');
  return [
    `for f in ${join(out, 'openmetrics')}/*.om; do promtool tsdb create-blocks-from openmetrics --max-block-duration=486h "$f" ${join(out, 'data')}; done`,
    `prometheus --storage.tsdb.path=<copy of ${join(out, 'data')}> --storage.tsdb.retention.time=100y --query.lookback-delta=${Math.max(300, request.stepMs / 1000)}s, then for N = 1, 2, ... (restarting it after each so that it loads the new blocks):`,
    `  promtool ${rulesArguments({
      url: 'http://localhost:9090',
      startMs: request.from,
      endMs: state.lastStepMs,
      stepMs: request.stepMs,
      blockMs: chunkMs,
      outputDir: join(out, 'data'),
      rulesFile: layers,
    }).join(' ')}`,
  ];
}

async function writeOpenMetrics(args: {
  collectors: readonly EnabledCollector[];
  state: BackfillState;
  request: BackfillRequest;
  deps: EvaluationDeps;
  io: BackfillIo;
  first: number;
  total: number;
}): Promise<{
  interrupted: boolean;
  stepsDone: number;
  stepsThisRun: number;
  collectorSeconds: number;
  groupedSeconds: number;
}> {
  const { collectors, state, request, deps, io, first, total } = args;
  const specs = new Map<string, MetricSpec>(
    collectors.flatMap(({ collector }) =>
      collector.metrics.map((spec) => [spec.name, spec] as const),
    ),
  );
  const stepAt = (index: number) => request.from + index * request.stepMs;
  let collectorSeconds = 0;
  let groupedSeconds = 0;
  if (first >= total)
    return {
      interrupted: false,
      stepsDone: Math.min(first, total),
      stepsThisRun: 0,
      collectorSeconds,
      groupedSeconds,
    };

  // Collectors with a grouped pass read the whole remaining range once.
  const grid = { firstMs: stepAt(first), stepMs: request.stepMs, count: total - first };
  const perStep: EnabledCollector[] = [];
  const series: { name: string; metrics: readonly MetricSpec[]; at: StepSeries }[] = [];
  for (const enabled of collectors) {
    const hook = seriesHookOf(enabled.collector);
    if (!hook) {
      perStep.push(enabled);
      continue;
    }
    const started = Date.now();
    const { ctx } = contextAt(enabled, stepAt(total - 1), deps);
    // One pass over the range reads what a live run reads for every step: not bounded by the
    // collector's timeout, only by Ctrl-C and by the server's statement_timeout on each of its
    // statements (each reads a slice of the range).
    const at = await hook({ ...ctx, signal: deps.interrupt }, grid).catch((error: unknown) => {
      if (deps.interrupt.aborted) throw deps.interrupt.reason;
      throw new Error(
        `collector ${enabled.collector.name} failed in its grouped pass: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    const seconds = (Date.now() - started) / 1000;
    collectorSeconds += seconds;
    groupedSeconds += seconds;
    if (at) series.push({ name: enabled.collector.name, metrics: enabled.collector.metrics, at });
    else perStep.push(enabled);
  }

  // The grouped passes answer in step order, one step after the other (a pass may carry state
  // from a step to the next, or read its next block): chained so, they still overlap with the
  // per-step collectors of the steps launched ahead and with the writing.
  let groupedChain: Promise<unknown> = Promise.resolve();
  const groupedAt = (index: number): Promise<Sample[]> => {
    const work = groupedChain.then(async () => {
      const started = Date.now();
      try {
        const samples: Sample[] = [];
        for (const { name, metrics, at } of series)
          samples.push(...acceptedSamples(name, metrics, await at(index - first), deps));
        return samples;
      } finally {
        const seconds = (Date.now() - started) / 1000;
        collectorSeconds += seconds;
        groupedSeconds += seconds;
      }
    });
    groupedChain = work.catch(() => {});
    return work;
  };

  const limiter = new Limiter(request.concurrency);
  const evaluateStep = async (index: number): Promise<Sample[]> => {
    const at = stepAt(index);
    const results = await Promise.all([
      groupedAt(index),
      ...perStep.map((enabled) =>
        limiter.run(async () => {
          const started = Date.now();
          try {
            return await evaluateAt(enabled, at, deps);
          } finally {
            collectorSeconds += (Date.now() - started) / 1000;
          }
        }),
      ),
    ]);
    return results.flat();
  };

  const progress = new Progress(total, io.stderr, io.progressIntervalMs, first);
  const omDir = join(request.out, 'openmetrics');
  mkdirSync(omDir, { recursive: true });
  let index = first;
  while (index < total) {
    const window = Math.floor(stepAt(index) / chunkMs);
    let end = index;
    while (end + 1 < total && Math.floor(stepAt(end + 1) / chunkMs) === window) end += 1;
    const name = `${new Date(stepAt(index)).toISOString().replace(/[:.]/g, '-')}.om`;
    const target = join(omDir, name);
    const chunk = new ChunkFile(join(request.out, '.chunk-scratch'), target, specs, {
      job: request.job,
    });
    const inFlight = new Map<number, Promise<Sample[]>>();
    let launched = index;
    try {
      for (let step = index; step <= end; step += 1) {
        // Up to `concurrency` steps ahead are evaluated while this one is written.
        while (launched <= end && launched < step + request.concurrency) {
          const work = evaluateStep(launched);
          work.catch(() => {});
          inFlight.set(launched, work);
          launched += 1;
        }
        const samples = await (inFlight.get(step) as Promise<Sample[]>);
        inFlight.delete(step);
        chunk.write(stepAt(step), samples);
        progress.update(step + 1);
      }
      chunk.finish();
    } catch (error) {
      chunk.discard();
      await Promise.allSettled(inFlight.values());
      if (deps.interrupt.aborted) {
        progress.finish();
        return {
          interrupted: true,
          stepsDone: index,
          stepsThisRun: index - first,
          collectorSeconds,
          groupedSeconds,
        };
      }
      throw error;
    }
    state.chunks.push({ file: relative(request.out, target), blocks: false });
    state.doneThrough = new Date(stepAt(end)).toISOString();
    saveState(request.out, state);
    index = end + 1;
  }
  progress.finish();
  if (existsSync(join(request.out, '.chunk-scratch')))
    rmSync(join(request.out, '.chunk-scratch'), { recursive: true, force: true });
  return {
    interrupted: false,
    stepsDone: total,
    stepsThisRun: total - first,
    collectorSeconds,
    groupedSeconds,
  };
}

/** At most `limit` tasks at once; the others wait in order. */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}
