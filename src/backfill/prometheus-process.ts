import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../net/free-port.js';

export interface PrometheusProcess {
  readonly url: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts a Prometheus that only serves the TSDB in `dataDir` (no scrape, no
 * rule): what `promtool tsdb create-blocks-from rules` queries. Retention is
 * long so that it keeps a year-old block, and the lookback covers one step so
 * that an instant between two backfilled steps sees the earlier one.
 */
export async function startPrometheusOn(options: {
  readonly binary: string;
  readonly dataDir: string;
  readonly configDir: string;
  readonly lookbackMs: number;
}): Promise<PrometheusProcess> {
  const config = join(options.configDir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1m\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let stderr = '';
  const child: ChildProcess = spawn(
    options.binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${options.dataDir}`,
      '--storage.tsdb.retention.time=100y',
      `--query.lookback-delta=${Math.max(300, Math.ceil(options.lookbackMs / 1000))}s`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failedToSpawn = new Promise<never>((_, reject) =>
    child.once('error', (error) =>
      reject(new Error(`cannot run ${options.binary}: ${error.message}`)),
    ),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await Promise.race([failedToSpawn, waitReady(url, child, () => stderr)]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, log: () => stderr, stop };
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  // Opening a year of small blocks takes a while on a slow disk.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited:\n${log()}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`prometheus not ready in 120 s:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
