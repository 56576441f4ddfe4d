/**
 * Scrape throughput and latency at 1k, 10k and 50k series for: chom-exporter,
 * the bare cached-buffer server (the practical limit) and prom-client rendering
 * at every scrape (the naive approach). Each server runs in its own process so
 * its RSS is its own; load comes from wrk (Debian package `wrk`).
 *
 *   npx tsx bench/scrape.ts [seconds=10]   → bench/results/scrape.json
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const seconds = Number(process.argv[2] ?? 10);
const sizes = [1_000, 10_000, 50_000];
const servers = ['ours', 'bare', 'naive'] as const;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

async function start(kind: string, count: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', here(`servers/${kind}.ts`), String(count)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
  return { url: `${url}/metrics`, pid: child.pid ?? 0, stop: () => child.kill('SIGKILL') };
}

const rssMegabytes = (pid: number) =>
  Math.round(
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
  );

/** wrk with 2 threads and 8 connections, asking for gzip as Prometheus does. */
function wrk(url: string) {
  const out = execFileSync(
    'wrk',
    ['-t2', '-c8', `-d${seconds}s`, '--latency', '-H', 'Accept-Encoding: gzip', url],
    {
      encoding: 'utf8',
    },
  );
  const ms = (label: string) => {
    const match = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!match) return Number.NaN;
    const value = Number(match[1]);
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
  };
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN),
    p50Ms: ms('50%'),
    p99Ms: ms('99%'),
    errors: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
  };
}

const results: Record<string, unknown>[] = [];
for (const count of sizes) {
  for (const kind of servers) {
    const server = await start(kind, count);
    try {
      const bytes = execFileSync('curl', ['-s', '-H', 'Accept-Encoding: gzip', server.url]).length;
      const load = wrk(server.url);
      results.push({
        series: count,
        server: kind,
        gzipBytes: bytes,
        ...load,
        rssMegabytes: rssMegabytes(server.pid),
      });
      process.stdout.write(`${JSON.stringify(results.at(-1))}\n`);
    } finally {
      server.stop();
    }
  }
}
writeFileSync(
  here('results/scrape.json'),
  `${JSON.stringify({ seconds, connections: 8, threads: 2, results }, null, 2)}\n`,
);
