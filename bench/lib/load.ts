import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Server {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Every child still running; killed if the script exits early (an error, Ctrl-C). */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function stopper(child: ChildProcess): () => Promise<void> {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
}

/** A Node server script that prints its base URL on stdout once it listens. */
export async function startNode(script: string, args: readonly string[]): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk) => resolve(String(chunk).trim()));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { url: `${url}/metrics`, pid: child.pid ?? 0, stop: stopper(child) };
}

/** A binary (a peer exporter) that listens on `port`; ready once /metrics answers 200. */
export async function startBinary(
  command: string,
  args: readonly string[],
  port: number,
  env: Record<string, string> = {},
): Promise<Server> {
  const child = spawn(command, args, {
    stdio: 'ignore',
    env: { ...process.env, ...env },
  });
  const url = `http://127.0.0.1:${port}/metrics`;
  const stop = stopper(child);
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break;
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { url, pid: child.pid ?? 0, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`${command} did not come up on ${url}`);
}

export const rssMegabytes = (pid: number) =>
  Math.round(
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
  );

/** Sizes of one scrape, gzip and plain, and the number of series in it. */
export async function exposition(url: string) {
  const gzipBytes = execFileSync('curl', ['-sf', '-H', 'Accept-Encoding: gzip', url]).length;
  // --compressed decodes gzip: the bare server sends gzip whatever the client asks.
  const plain = execFileSync('curl', ['-sf', '--compressed', url], {
    maxBuffer: 1 << 28,
  }).toString('utf8');
  const series = plain.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
  return { series, plainBytes: Buffer.byteLength(plain), gzipBytes };
}

/**
 * The exposition once its series count has stopped changing for three checks a
 * second apart: a peer answers /metrics before its start-up job has run every
 * query, and measuring it then would measure a smaller exposition.
 */
export async function settledExposition(url: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last = await exposition(url);
  let stable = 0;
  while (stable < 3) {
    if (Date.now() > deadline) throw new Error(`${url} did not settle in ${timeoutMs} ms`);
    await sleep(1000);
    const next = await exposition(url);
    stable = next.series === last.series ? stable + 1 : 0;
    last = next;
  }
  return last;
}

export interface LoadResult {
  /** wrk's own report, kept in the raw results. */
  readonly raw: string;
  /** How long the load ran. */
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly timeouts: number;
}

/**
 * wrk with 2 threads and 8 connections, asking for gzip as Prometheus does. The
 * timeout (10 s, not wrk's 2 s) is long enough that the slowest answers count in
 * the percentiles; a request still running when the load stops is not counted.
 */
export function wrk(url: string, seconds: number, timeoutSeconds = 10): LoadResult {
  const out = execFileSync(
    'wrk',
    [
      '-t2',
      '-c8',
      `-d${seconds}s`,
      '--timeout',
      `${timeoutSeconds}s`,
      '--latency',
      '-H',
      'Accept-Encoding: gzip',
      url,
    ],
    { encoding: 'utf8' },
  );
  const ms = (label: string) => {
    const match = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!match) return Number.NaN;
    const value = Number(match[1]);
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
  };
  return {
    raw: out,
    seconds,
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? Number.NaN),
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN),
    p50Ms: ms('50%'),
    p99Ms: ms('99%'),
    errors: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    timeouts: Number(/timeout (\d+)/.exec(out)?.[1] ?? 0),
  };
}
