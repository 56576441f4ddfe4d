// chom-exporter's HTTP app serving N synthetic series from its render-once cache.
import pino from 'pino';
import { parseConfig } from '../../src/app/config.js';
import { buildExporter, buildSources } from '../../src/app/service.js';
import { buildApp } from '../../src/http/app.js';
import { syntheticCollector } from './synthetic.js';

const count = Number(process.argv[2]);
const config = parseConfig({});
// No collector touches a database here; the pool is never connected.
const sources = buildSources(
  config,
  { url: 'postgres://unused@127.0.0.1:1/none' },
  pino({ level: 'silent' }),
);
const exporter = buildExporter(config, sources, pino({ level: 'silent' }), [
  syntheticCollector(count),
]).exporter;
await exporter.runOnce();
const app = buildApp({ exporter, logger: pino({ level: 'silent' }) });
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
