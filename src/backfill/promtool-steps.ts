import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPrometheusOn } from './prometheus-process.js';
import { ruleLayers } from './rule-layers.js';
import { formatDuration } from './time-arguments.js';
import { linkBlocks, moveBlocks } from './tsdb-files.js';

/**
 * How to run `name`: `explicit` when it is an executable file, else `name`
 * itself when it runs from PATH (`--version` answers), else undefined.
 */
export function findExecutable(name: string, explicit?: string): string | undefined {
  if (explicit) {
    try {
      accessSync(explicit, constants.X_OK);
      return explicit;
    } catch {
      return undefined;
    }
  }
  const probe = spawnSync(name, ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return probe.error || probe.status !== 0 ? undefined : name;
}

/** Runs a command; rejects with its output when it fails. */
export function run(
  binary: string,
  args: readonly string[],
  signal?: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${binary} ${args.join(' ')} exited ${code}:\n${output.trim()}`)),
    );
  });
}

/**
 * `--max-block-duration` (a flag promtool 2.42 takes but does not list): one
 * block per chunk instead of one per 2 hours, so a year is tens of blocks
 * rather than thousands.
 */
const maxBlockFlag = (blockMs: number) => `--max-block-duration=${formatDuration(blockMs)}`;

/** Blocks from one OpenMetrics file, written to `staging` then moved into `dataDir`. */
export async function createBlocks(options: {
  promtool: string;
  file: string;
  dataDir: string;
  staging: string;
  blockMs: number;
  signal?: AbortSignal;
}): Promise<number> {
  rmSync(options.staging, { recursive: true, force: true });
  mkdirSync(options.staging, { recursive: true });
  await run(
    options.promtool,
    [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      maxBlockFlag(options.blockMs),
      '--quiet',
      options.file,
      options.staging,
    ],
    options.signal,
  );
  const moved = moveBlocks(options.staging, options.dataDir);
  rmSync(options.staging, { recursive: true, force: true });
  return moved;
}

/** The `promtool tsdb create-blocks-from rules` arguments for one rules file. */
export function rulesArguments(options: {
  url: string;
  startMs: number;
  endMs: number;
  stepMs: number;
  blockMs: number;
  outputDir: string;
  rulesFile: string;
}): string[] {
  return [
    'tsdb',
    'create-blocks-from',
    'rules',
    `--url=${options.url}`,
    `--start=${Math.floor(options.startMs / 1000)}`,
    `--end=${Math.ceil(options.endMs / 1000)}`,
    `--eval-interval=${formatDuration(options.stepMs)}`,
    `--output-dir=${options.outputDir}`,
    maxBlockFlag(options.blockMs),
    options.rulesFile,
  ];
}

/**
 * The recording rules' history from `startMs` to `endMs`: layer by layer
 * (see ruleLayers), a temporary Prometheus on a hard-linked copy of DIR/data
 * answers promtool's queries; the blocks it writes join DIR/data before the
 * next layer starts its own Prometheus on them.
 */
export async function createRuleBlocks(options: {
  promtool: string;
  prometheus: string;
  rulesYaml: string;
  dataDir: string;
  workDir: string;
  startMs: number;
  endMs: number;
  stepMs: number;
  blockMs: number;
  onLayer?: (layer: number, layers: number) => void;
  signal?: AbortSignal;
}): Promise<void> {
  const layers = ruleLayers(options.rulesYaml);
  for (const [index, yaml] of layers.entries()) {
    options.onLayer?.(index + 1, layers.length);
    rmSync(options.workDir, { recursive: true, force: true });
    const tsdb = join(options.workDir, 'tsdb');
    const output = join(options.workDir, 'output');
    mkdirSync(tsdb, { recursive: true });
    mkdirSync(output, { recursive: true });
    const rulesFile = join(options.workDir, `layer-${index + 1}.rules.yml`);
    writeFileSync(rulesFile, yaml);
    linkBlocks(options.dataDir, tsdb);
    const server = await startPrometheusOn({
      binary: options.prometheus,
      dataDir: tsdb,
      configDir: options.workDir,
      lookbackMs: options.stepMs,
    });
    try {
      await run(
        options.promtool,
        rulesArguments({ ...options, url: server.url, outputDir: output, rulesFile }),
        options.signal,
      );
    } finally {
      await server.stop();
    }
    moveBlocks(output, options.dataDir);
  }
  rmSync(options.workDir, { recursive: true, force: true });
}
