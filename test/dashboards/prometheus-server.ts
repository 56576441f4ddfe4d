import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One implementation for the product and the tests.
import { freePort } from '../../src/net/free-port.js';

export { freePort };

export interface PrometheusSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

export interface RunningPrometheus {
  readonly url: string;
  /** An instant query through the HTTP API (/api/v1/query), now or at `time` (Unix seconds); throws on an API error. */
  query(expr: string, time?: number): Promise<PrometheusSample[]>;
  /** Label values through /api/v1/label/<name>/values, optionally matching a selector. */
  labelValues(label: string, match?: string): Promise<string[]>;
  /** The Prometheus log (stderr), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
  errorType?: string;
}

/**
 * Starts the Prometheus binary of Debian's `prometheus` package on loopback,
 * scraping `target` (or every one of `targets`, as one job: replicas) every
 * second and evaluating `ruleFiles` (whose groups should set `interval: 1s`),
 * with its TSDB in a temporary folder.
 */
export async function startPrometheus(options: {
  target?: string;
  targets?: readonly string[];
  ruleFiles: readonly string[];
  binary?: string;
}): Promise<RunningPrometheus> {
  const targets = options.targets ?? (options.target ? [options.target] : []);
  if (targets.length === 0) throw new Error('startPrometheus: no target to scrape');
  const dir = await mkdtemp(join(tmpdir(), 'chom-prometheus-'));
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      'rule_files:',
      ...options.ruleFiles.map((file) => `  - ${JSON.stringify(file)}`),
      'scrape_configs:',
      '  - job_name: chom-exporter',
      '    static_configs:',
      `      - targets: [${targets.map((target) => JSON.stringify(target)).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}`;
  let stderr = '';
  const child: ChildProcess = spawn(
    options.binary ?? '/usr/bin/prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error) =>
      reject(new Error(`prometheus did not start (install Debian's prometheus): ${error.message}`)),
    ),
  );

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const answer = (await response.json()) as ApiAnswer<T>;
    if (answer.status !== 'success') {
      throw new Error(`${path}: ${answer.errorType ?? ''} ${answer.error ?? response.status}`);
    }
    return answer.data;
  };

  try {
    const deadline = Date.now() + 20_000;
    const ready = (async () => {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`prometheus exited:\n${stderr}`);
        const ok = await fetch(`${url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`prometheus not ready in 20 s:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await Promise.race([ready, spawnError]);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url,
    async query(expr, time) {
      const at = time === undefined ? '' : `&time=${time}`;
      const data = await api<{ resultType: string; result: PrometheusSample[] }>(
        `/api/v1/query?query=${encodeURIComponent(expr)}${at}`,
      );
      if (data.resultType !== 'vector') {
        throw new Error(`expected an instant vector, got ${data.resultType}: ${expr}`);
      }
      return data.result;
    },
    labelValues(label, match) {
      const query = match ? `?match[]=${encodeURIComponent(match)}` : '';
      return api<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values${query}`);
    },
    log: () => stderr,
    stop,
  };
}
