// The practical limit: a bare node:http server writing a cached gzip buffer of the same bytes.
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { parseConfig } from '../../src/app/config.js';
import { buildExporter, buildSources } from '../../src/app/service.js';
import { syntheticCollector } from './synthetic.js';

const count = Number(process.argv[2]);
const config = parseConfig({});
const exporter = buildExporter(
  config,
  buildSources(config, { url: 'postgres://unused@127.0.0.1:1/none' }, pino({ level: 'silent' })),
  pino({ level: 'silent' }),
  [syntheticCollector(count)],
).exporter;
await exporter.runOnce();
const body = gzipSync(await exporter.exposition());
const server = createServer((_request, response) => {
  response.writeHead(200, {
    'content-type': 'text/plain; version=0.0.4',
    'content-encoding': 'gzip',
  });
  response.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address === 'object' && address)
    process.stdout.write(`http://127.0.0.1:${address.port}\n`);
});
