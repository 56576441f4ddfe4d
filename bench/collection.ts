/**
 * Collection-round time of the analytics event counters against events tables of
 * growing size: the first round (a full grouped count) and steady-state rounds
 * after ~5,000 new events (only ids above the watermark are read).
 *
 *   npx tsx bench/collection.ts [sizes=100000,1000000,10000000]  → bench/results/collection.json
 *
 * Needs the local PostgreSQL (127.0.0.1:5432, user postgres) or ADMIN_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { parseConfig } from '../src/config/load.js';
import { migrate } from '../src/db/migrate.js';
import { Exporter } from '../src/exporter.js';
import { closeSources, createSources } from '../src/sources/create-sources.js';
import { onlyCollectors } from '../test/helpers/build-exporter.js';

const sizes = (process.argv[2] ?? '100000,1000000,10000000').split(',').map(Number);
const adminUrl = process.env.ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Inserts `count` events with the event mix of the demo data, in batches of a million. */
async function insertEvents(client: pg.Client, count: number): Promise<void> {
  for (let done = 0; done < count; done += 1_000_000) {
    const batch = Math.min(1_000_000, count - done);
    await client.query(
      `INSERT INTO analytics_events (occurred_at, event_name, user_id, properties)
       SELECT now() - (g % 400) * interval '1 day',
         (ARRAY['logged_in','logged_in','logged_in','feature_used','page_viewed','signed_up','activated','trial_started','converted_to_paid','landing_page_converted'])[1 + g % 10],
         g % 3000,
         jsonb_build_object('channel', (ARRAY['organic','paid','referral','direct','social'])[1 + g % 5],
           'feature', (ARRAY['dashboards','reports','api','alerts'])[1 + g % 4],
           'page', (ARRAY['home','pricing','signup'])[1 + g % 3])
       FROM generate_series(1, $1::int) AS g`,
      [batch],
    );
  }
  await client.query('ANALYZE analytics_events');
}

async function timeRound(exporter: Exporter): Promise<number> {
  const started = performance.now();
  const failed = await exporter.runOnce();
  if (failed > 0) throw new Error('the collection round failed');
  return (performance.now() - started) / 1000;
}

const results: Record<string, unknown>[] = [];
for (const size of sizes) {
  const name = `chom_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const loadStarted = performance.now();
  await insertEvents(client, size);
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  const config = parseConfig({
    database: { url: url.toString(), statementTimeoutSeconds: 600 },
    collectors: {
      ...onlyCollectors('analytics_event_counters'),
      analytics_event_counters: { timeoutSeconds: 600 },
    },
  });
  const sources = createSources(config, url.toString());
  const exporter = new Exporter(config, sources, pino({ level: 'silent' }));
  const firstRound = await timeRound(exporter);
  const steady: number[] = [];
  for (let i = 0; i < 3; i++) {
    await insertEvents(client, 5_000);
    steady.push(await timeRound(exporter));
  }
  const idle = await timeRound(exporter);
  const tableBytes = Number(
    (await client.query("SELECT pg_total_relation_size('analytics_events') AS b")).rows[0].b,
  );
  results.push({
    events: size,
    tableMegabytes: Math.round(tableBytes / 2 ** 20),
    loadSeconds: Number(loadSeconds.toFixed(1)),
    firstRoundSeconds: Number(firstRound.toFixed(3)),
    steadyRoundSecondsWith5000NewEvents: steady.map((s) => Number(s.toFixed(3))),
    roundSecondsWithNoNewEvents: Number(idle.toFixed(3)),
  });
  process.stdout.write(`${JSON.stringify(results.at(-1))}\n`);
  await exporter.stop();
  await closeSources(sources);
  await client.end();
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();
}
writeFileSync(
  fileURLToPath(new URL('results/collection.json', import.meta.url)),
  `${JSON.stringify({ results }, null, 2)}\n`,
);
