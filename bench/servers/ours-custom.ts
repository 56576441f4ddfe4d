// chom-exporter running only the peers' query pack as `custom` queries (argv[3],
// a JSON file of the `custom` section) on a database (argv[2]): the same SQL and
// the same series as the peers, built-in collectors off. Every query runs once,
// then the app serves the result; no schedule is started.
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { parseConfig } from '../../src/app/config.js';
import { buildExporter, buildSources } from '../../src/app/service.js';
import { collectors } from '../../src/collectors/index.js';
import { buildApp } from '../../src/http/app.js';

const url = String(process.argv[2]);
const custom: unknown = JSON.parse(readFileSync(String(process.argv[3]), 'utf8'));
const config = parseConfig({
  database: { url },
  collectors: Object.fromEntries(collectors.map((c) => [c.name, { enabled: false }])),
  custom,
});
const exporter = buildExporter(
  config,
  buildSources(config, { url: url }, pino({ level: 'silent' })),
  pino({ level: 'silent' }),
).exporter;
if ((await exporter.runOnce()) > 0) throw new Error('a custom query failed');
const app = buildApp({ exporter, logger: pino({ level: 'silent' }) });
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
