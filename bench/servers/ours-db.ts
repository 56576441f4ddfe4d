// chom-exporter with its default configuration on a database (argv[2]): every
// collector runs once, then the app serves the result. No schedule is started,
// so any transaction the database sees during the load comes from scrapes.
import pino from 'pino';
import { parseConfig } from '../../src/app/config.js';
import { buildExporter, buildSources } from '../../src/app/service.js';
import { buildApp } from '../../src/http/app.js';

const url = String(process.argv[2]);
const config = parseConfig({ database: { url } });
const exporter = buildExporter(
  config,
  buildSources(config, { url: url }, pino({ level: 'silent' })),
  pino({ level: 'silent' }),
).exporter;
if ((await exporter.runOnce()) > 0) throw new Error('a collector failed');
const app = buildApp({ exporter, logger: pino({ level: 'silent' }) });
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
