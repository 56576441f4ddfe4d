// One round of one collector (or of all of them), in its own process, on the compiled
// service (dist/, as in production): what the round took, the process's peak RSS, the
// series it exported and every SQL statement it sent (for EXPLAIN by the parent).
// Usage: node bench/servers/collect-once.mjs DATABASE_URL COLLECTOR|all
import pino from 'pino';
import { parseConfig } from '../../dist/app/config.js';
import { closeSources } from '../../dist/app/create-sources.js';
import { buildExporter, buildSources } from '../../dist/app/service.js';
import { collectors } from '../../dist/collectors/index.js';

const [url, only] = process.argv.slice(2);
const disabled = Object.fromEntries(
  collectors
    .filter((c) => only !== 'all' && c.name !== only)
    .map((c) => [c.name, { enabled: false }]),
);
const config = parseConfig({ database: { url }, collectors: disabled });
const sources = buildSources(config, { url }, pino({ level: 'silent' }));
const statements = [];
const recording = (source) => ({
  ...source,
  readOnly: (signal, work) =>
    source.readOnly(signal, (query) =>
      work((sql, params, options) => {
        statements.push({ sql, params: params ?? [] });
        return query(sql, params, options);
      }),
    ),
  close: () => source.close(),
});
const measured = { ...sources, app: recording(sources.app), events: recording(sources.events) };
const { exporter } = buildExporter(config, measured, pino({ level: 'silent' }));
const started = performance.now();
const failed = await exporter.runOnce();
const seconds = (performance.now() - started) / 1000;
const exposition = await exporter.exposition();
const series = exposition
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
    collector: only,
    seconds,
    failed,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    series,
    statements,
  }),
);
