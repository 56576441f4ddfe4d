// chom-exporter's HTTP app serving N synthetic series from its render-once cache.
import pino from 'pino';
import { parseConfig } from '../../src/app/config.js';
import { Exporter } from '../../src/engine/exporter.js';
import { buildApp } from '../../src/http/app.js';
import { createSources } from '../../src/app/create-sources.js';
import { syntheticCollector } from './synthetic.js';

const count = Number(process.argv[2]);
const config = parseConfig({});
// No collector touches a database here; the pool is never connected.
const sources = createSources(config, 'postgres://unused@127.0.0.1:1/none');
const exporter = new Exporter(config, sources, pino({ level: 'silent' }), [
  syntheticCollector(count),
]);
await exporter.runOnce();
const app = buildApp({ exporter, logger: pino({ level: 'silent' }) });
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
