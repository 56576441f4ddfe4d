/**
 * Collection-round time of the analytics event counters against events tables of
 * growing size: the first round (a full grouped count), steady-state rounds after
 * ~5,000 new events (only ids above the watermark are read) and a round with
 * nothing new. One fresh database per size, dropped afterwards.
 *
 *   npx tsx bench/collection.ts [sizes=100000,1000000,10000000]  → bench/results/collection.json
 *
 * Needs the local PostgreSQL (127.0.0.1:5432, user postgres) or ADMIN_DATABASE_URL.
 * 10M rows take a minute or two to insert and 2.3 GB of disk.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { parseConfig } from '../src/app/config.js';
import { closeSources } from '../src/app/create-sources.js';
import { buildExporter, buildSources } from '../src/app/service.js';
import type { Exporter } from '../src/engine/exporter.js';
import { onlyCollectors } from '../test/helpers/build-exporter.js';
import { createBenchDatabase } from './lib/database.js';
import { machine } from './lib/machine.js';

const sizes = (process.argv[2] ?? '100000,1000000,10000000').split(',').map(Number);

/**
 * Inserts `count` events with the event mix of the demo data, in batches of a
 * million. Deterministic: row g gets the same event, user and properties every run.
 */
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
  // Fresh statistics, as autovacuum would have them on a table that grew slowly.
  await client.query('ANALYZE analytics_events');
}

async function timeRound(exporter: Exporter): Promise<number> {
  const started = performance.now();
  if ((await exporter.runOnce()) > 0) throw new Error('the collection round failed');
  return Number(((performance.now() - started) / 1000).toFixed(3));
}

const results: Record<string, unknown>[] = [];
for (const size of sizes) {
  const db = await createBenchDatabase();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const loadStarted = performance.now();
    await insertEvents(client, size);
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    const config = parseConfig({
      database: { url: db.url, statementTimeoutSeconds: 600 },
      collectors: {
        ...onlyCollectors('analytics_event_counters'),
        analytics_event_counters: { timeoutSeconds: 600 },
      },
    });
    const sources = buildSources(config, { url: db.url }, pino({ level: 'silent' }));
    const exporter = buildExporter(config, sources, pino({ level: 'silent' })).exporter;
    try {
      const firstRound = await timeRound(exporter);
      const steady: number[] = [];
      for (let i = 0; i < 3; i++) {
        await insertEvents(client, 5_000);
        steady.push(await timeRound(exporter));
      }
      const idle = await timeRound(exporter);
      const { rows } = await client.query("SELECT pg_total_relation_size('analytics_events') AS b");
      results.push({
        events: size,
        tableMegabytes: Math.round(Number(rows[0].b) / 2 ** 20),
        loadSeconds: Number(loadSeconds.toFixed(1)),
        firstRoundSeconds: firstRound,
        steadyRoundSecondsWith5000NewEvents: steady,
        roundSecondsWithNoNewEvents: idle,
      });
      process.stdout.write(`${JSON.stringify(results.at(-1))}\n`);
    } finally {
      await exporter.stop();
      await closeSources(sources);
    }
  } finally {
    await client.end();
    await db.drop();
  }
}
writeFileSync(
  fileURLToPath(new URL('results/collection.json', import.meta.url)),
  `${JSON.stringify({ machine: await machine(), results }, null, 2)}\n`,
);
