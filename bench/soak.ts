/**
 * Soak run: scrapes /metrics under load for a bounded time while the database
 * connection is cut and restored, and reports what was answered, what failed,
 * whether last good values stayed served, and memory before and after.
 *
 *   node --expose-gc --import tsx bench/soak.ts [seconds=60] [concurrency=4]
 *
 * Needs the local PostgreSQL (127.0.0.1:5432, user postgres) or ADMIN_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import pg from 'pg';
import pino from 'pino';
import { parseConfig } from '../src/app/config.js';
import { closeSources } from '../src/app/create-sources.js';
import { buildExporter, buildSources } from '../src/app/service.js';
import { migrate } from '../src/db/migrate.js';
import { seedDemoData } from '../src/demo/seed.js';
import { buildApp } from '../src/http/app.js';
import { TcpProxy } from '../test/helpers/tcp-proxy.js';

const seconds = Number(process.argv[2] ?? 60);
const concurrency = Number(process.argv[3] ?? 4);
const adminUrl = process.env.ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** RSS and live heap after a full collection (with --expose-gc), so garbage is not read as a leak. */
function memory(): { rssMegabytes: number; heapUsedMegabytes: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return {
    rssMegabytes: Math.round(rss / 2 ** 20),
    heapUsedMegabytes: Math.round(heapUsed / 2 ** 20),
  };
}

async function main(): Promise<void> {
  const name = `chom_soak_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${name}`;
  await migrate(dbUrl.toString());
  await seedDemoData(dbUrl.toString());

  // Every connection goes through a proxy the script switches off and on.
  const proxy = new TcpProxy(dbUrl.hostname, Number(dbUrl.port || 5432));
  const proxied = new URL(dbUrl);
  proxied.host = `127.0.0.1:${await proxy.listen()}`;
  const config = parseConfig({
    database: { url: proxied.toString(), connectTimeoutSeconds: 1 },
    // Every collector every 2 seconds: far more collection than production.
    collectors: Object.fromEntries(
      [
        'postgres_active_users',
        'postgres_nps',
        'postgres_support_tickets',
        'postgres_referrals',
        'billing_mrr',
        'analytics_event_counters',
      ].map((c) => [c, { schedule: '*/2 * * * * *', timeoutSeconds: 5 }]),
    ),
  });
  const sources = buildSources(config, { url: proxied.toString() }, pino({ level: 'silent' }));
  const exporter = buildExporter(config, sources, pino({ level: 'silent' })).exporter;
  const app = buildApp({ exporter, logger: pino({ level: 'silent' }) });
  // Real HTTP, as Prometheus scrapes: in-process injection never yields to timers.
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  await exporter.start();
  const before = memory();

  let answered = 0;
  let failed = 0;
  let missingLastGood = 0;
  let outages = 0;
  const deadline = Date.now() + seconds * 1000;
  const faults = setInterval(() => {
    // Alternate 5 s outages and 5 s of service.
    if (outages % 2 === 0) proxy.disable();
    else proxy.enable();
    outages += 1;
  }, 5000);
  const worker = async () => {
    while (Date.now() < deadline) {
      // Real HTTP, as Prometheus scrapes; fetch decompresses, so the gzip path is checked too.
      const response = await fetch(`${base}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
      const body = await response.text();
      if (response.status === 200) answered += 1;
      else failed += 1;
      // The last good referrals count must stay served through every outage.
      if (!/^chom_referrals_sent_total \d+/m.test(body)) missingLastGood += 1;
      // The load runs in this process: yield so that timers (schedules, fault injection) run.
      await yieldLoop();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  clearInterval(faults);
  proxy.enable();
  // Recovery needs no restart: wait for every collector to succeed again.
  const recoveryStarted = Date.now();
  const failing = () => exporter.runners.filter((r) => r.currentStatus.lastSuccess !== true).length;
  while (failing() > 0 && Date.now() - recoveryStarted < 30_000) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const recoverySeconds = (Date.now() - recoveryStarted) / 1000;
  const failedRuns = failing();
  const after = memory();

  await app.close();
  await exporter.stop();
  await closeSources(sources);
  await proxy.close();
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();

  const report = {
    seconds,
    concurrency,
    databaseOutages: Math.ceil(outages / 2),
    scrapesAnswered: answered,
    scrapesFailed: failed,
    scrapesMissingLastGoodValues: missingLastGood,
    collectorsStillFailingAfterRecovery: failedRuns,
    recoverySeconds,
    memoryBefore: before,
    memoryAfter: after,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (failed > 0 || missingLastGood > 0 || failedRuns > 0) process.exitCode = 1;
}

void main();
