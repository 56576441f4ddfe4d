// One billing_mrr round in its own process, on the compiled service (dist/): its time, the
// process's peak RSS and the peak heap in use (sampled every 20 ms; with --expose-gc a full
// collection runs before each sample, so the peak is the live heap, not uncollected garbage).
// Usage: node [--expose-gc] bench/servers/billing-once.mjs DATABASE_URL PAGE_CUSTOMERS [MAX_ORGANIZATION_ID]
// MAX_ORGANIZATION_ID limits the mirror to the organizations up to that id (the demo's 1x and
// 10x inside the 100x copy: copies take ids above the demo's), through a subscriptions override.
import pino from 'pino';
import { parseConfig } from '../../dist/app/config.js';
import { closeSources } from '../../dist/app/create-sources.js';
import { buildExporter, buildSources } from '../../dist/app/service.js';
import { mirrorQueries } from '../../dist/billing/mirror-source.js';
import { collectors } from '../../dist/collectors/index.js';

const [url, pageCustomers, maxOrganization] = process.argv.slice(2);
const queries = maxOrganization
  ? {
      subscriptions: `SELECT * FROM (${mirrorQueries.subscriptions.sql}) s WHERE s.customer_id::bigint <= ${Number(maxOrganization)}`,
    }
  : {};
const disabled = Object.fromEntries(
  collectors.filter((c) => c.name !== 'billing_mrr').map((c) => [c.name, { enabled: false }]),
);
const config = parseConfig({
  database: { url },
  collectors: { ...disabled, billing_mrr: { pageCustomers: Number(pageCustomers), queries } },
});
const sources = buildSources(config, { url }, pino({ level: 'silent' }));
const { exporter } = buildExporter(config, sources, pino({ level: 'silent' }));
let peakHeap = 0;
const sampler = setInterval(() => {
  globalThis.gc?.();
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 20);
const started = performance.now();
const failed = await exporter.runOnce();
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const series = (await exporter.exposition())
  .split('\n')
  .filter(
    (line) =>
      line.startsWith('chom_') &&
      !line.startsWith('chom_collector_') &&
      !line.startsWith('chom_exporter_'),
  ).length;
await exporter.stop();
await closeSources(sources);
process.stdout.write(
  JSON.stringify({
    seconds,
    failed,
    series,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    peakHeapMiB: peakHeap / 2 ** 20,
  }),
);
