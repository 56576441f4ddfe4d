import { gunzipSync } from 'node:zlib';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { closeSources } from '../../src/app/create-sources.js';
import { buildExporter, buildSources } from '../../src/app/service.js';
import type { Sources } from '../../src/collectors/sources.js';
import type { Exporter } from '../../src/engine/exporter.js';
import { buildApp } from '../../src/http/app.js';
import type { SqlSource } from '../../src/sources/sql-source.js';
import { appFixtureSql } from '../fixtures/app-fixture.js';
import { onlyCollectors } from '../helpers/build-exporter.js';
import { parseExposition, sampleValue } from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** Counts every transaction a collector opens on a source. */
function counting(source: SqlSource, counter: { transactions: number }): SqlSource {
  return {
    readOnly(signal, work) {
      counter.transactions += 1;
      return source.readOnly(signal, work);
    },
    close: () => source.close(),
  };
}

describe('the scrape path', () => {
  let db: TestDatabase;
  let sources: Sources;
  let real: Sources;
  let exporter: Exporter;
  let app: ReturnType<typeof buildApp>;
  const counter = { transactions: 0 };

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(appFixtureSql);
    const config = parseConfig({
      database: { url: db.url },
      collectors: onlyCollectors('postgres_nps', 'postgres_active_users'),
    });
    real = buildSources(config, { url: db.url }, pino({ level: 'silent' }));
    sources = { ...real, app: counting(real.app, counter), events: counting(real.events, counter) };
    exporter = buildExporter(config, sources, pino({ level: 'silent' })).exporter;
    app = buildApp({ exporter, logger: pino({ level: 'silent' }) });
    await exporter.runOnce();
  });
  afterAll(async () => {
    await app.close();
    await exporter.stop();
    await closeSources(real);
    await db.drop();
  });

  it('serves gzip to clients that accept it, and the same bytes uncompressed to others', async () => {
    const plain = await app.inject({ url: '/metrics' });
    expect(plain.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzipped = await app.inject({
      url: '/metrics',
      headers: { 'accept-encoding': 'br, gzip;q=0.8' },
    });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(gzipped.rawPayload).toString('utf8')).toBe(plain.body);
    const refused = await app.inject({
      url: '/metrics',
      headers: { 'accept-encoding': 'gzip;q=0' },
    });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(plain.body);
  });

  it('renders once per change and queries no source while scraping', async () => {
    const render = vi.spyOn(exporter.registry, 'metrics');
    const before = counter.transactions;
    const bodies = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const accept = i % 2 === 0 ? 'gzip' : 'identity';
      const response = await app.inject({
        url: '/metrics',
        headers: { 'accept-encoding': accept },
      });
      bodies.add(
        accept === 'gzip' ? gunzipSync(response.rawPayload).toString('utf8') : response.body,
      );
    }
    expect(counter.transactions).toBe(before);
    expect(bodies.size).toBe(1);
    expect(render.mock.calls.length).toBeLessThanOrEqual(1);
    render.mockRestore();
  });

  it('serves the new values as soon as a run publishes them', async () => {
    expect(
      sampleValue(parseExposition((await app.inject({ url: '/metrics' })).body), 'chom_nps_score'),
    ).toBe(25);
    await db.sql(
      `INSERT INTO nps_responses (organization_id, score, responded_at) VALUES (1, 10, now()), (1, 9, now())`,
    );
    await exporter.runOnce();
    const samples = parseExposition((await app.inject({ url: '/metrics' })).body);
    expect(sampleValue(samples, 'chom_nps_score')).toBe(50);
    const gzipped = await app.inject({ url: '/metrics', headers: { 'accept-encoding': 'gzip' } });
    expect(
      sampleValue(
        parseExposition(gunzipSync(gzipped.rawPayload).toString('utf8')),
        'chom_nps_score',
      ),
    ).toBe(50);
  });
});
