// The naive approach: prom-client renders (and gzips) the registry at every scrape.
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Gauge, Registry } from 'prom-client';

const gzipAsync = promisify(gzip);
const count = Number(process.argv[2]);
const registry = new Registry();
const gauge = new Gauge({
  name: 'chom_bench_value',
  help: 'A benchmark gauge.',
  labelNames: ['organization', 'tier'],
  registers: [registry],
});
for (let i = 0; i < count; i++) {
  gauge.set(
    {
      organization: `organization-${i}`,
      tier: ['starter', 'professional', 'enterprise'][i % 3] ?? 'other',
    },
    (i * 7919) % 1000,
  );
}
const server = createServer(async (_request, response) => {
  const body = await gzipAsync(await registry.metrics());
  response.writeHead(200, { 'content-type': registry.contentType, 'content-encoding': 'gzip' });
  response.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address === 'object' && address)
    process.stdout.write(`http://127.0.0.1:${address.port}\n`);
});
