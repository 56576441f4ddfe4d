/**
 * billing_mrr's memory against the size of the billing mirror (issue #20: RSS
 * bounded by the series cap, not the table). The demo's organizations and
 * subscriptions grown 100x (bench/lib/multiply.ts; the activity tables are
 * emptied first, billing does not read them), then one round per
 * (mirror size, page size, mode) in its own process on the compiled service:
 * the mirror limited to the demo's 1x, 10x and all 100x organizations; pages
 * of 100, 2,000 (the default) and 100,000 customers (the whole mirror at once,
 * as before paging); with V8's own collection (peak RSS, the operator's view),
 * with a full collection forced every 20 ms (the live heap), and with a heap
 * limit (`--max-old-space-size=96 --max-semi-space-size=2`).
 *
 *   npm run build && npx tsx bench/billing-memory.ts   → bench/results/billing-memory.json
 *
 * BENCH_BILLING_URL reuses a database already grown (its URL is printed).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createBenchDatabase } from './lib/database.js';
import { machine } from './lib/machine.js';
import { multiplyDemo } from './lib/multiply.js';

const activityTables = [
  'user_sessions',
  'feature_usage',
  'analytics_events',
  'email_campaign_deliveries',
  'nps_responses',
  'csat_responses',
  'support_tickets',
  'referrals',
  'marketing_spend',
];

async function grownMirror(): Promise<{ url: string; done: () => Promise<void> }> {
  const reuse = process.env.BENCH_BILLING_URL;
  if (reuse) return { url: reuse, done: async () => {} };
  const db = await createBenchDatabase({ seed: true });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(`TRUNCATE ${activityTables.join(', ')}`);
  await client.end();
  await multiplyDemo(db.url, 100);
  console.error(`grown: ${db.url}`);
  return { url: db.url, done: () => db.drop() };
}

const modes = {
  'V8 default': [],
  'live heap (full GC every 20 ms)': ['--expose-gc'],
  'heap limit 96 MiB': ['--max-old-space-size=96', '--max-semi-space-size=2'],
} as const;
// The demo's organization ids end at 300; the copies follow (ids above 30,000 are not used).
const sizes = [
  { label: '1x', maxOrganization: 300 },
  { label: '10x', maxOrganization: 3000 },
  { label: '100x', maxOrganization: undefined },
];
const pages = [100, 2000, 100_000];

const { url, done } = await grownMirror();
const client = new pg.Client({ connectionString: url });
await client.connect();
const rows = [];
try {
  for (const size of sizes) {
    const { rows: counted } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM billing_subscriptions WHERE $1::bigint IS NULL OR organization_id <= $1',
      [size.maxOrganization ?? null],
    );
    const subscriptions = Number(counted[0]?.n);
    for (const page of pages)
      for (const [mode, flags] of Object.entries(modes)) {
        const out = execFileSync(
          process.execPath,
          [
            ...flags,
            fileURLToPath(new URL('servers/billing-once.mjs', import.meta.url)),
            url,
            String(page),
            ...(size.maxOrganization ? [String(size.maxOrganization)] : []),
          ],
          { encoding: 'utf8' },
        );
        const round = JSON.parse(out);
        rows.push({ size: size.label, subscriptions, pageCustomers: page, mode, ...round });
        console.error(
          `${size.label} (${subscriptions} subscriptions), pages of ${page}, ${mode}: ${round.seconds.toFixed(2)} s, peak RSS ${round.maxRssMiB.toFixed(0)} MiB, peak heap ${round.peakHeapMiB.toFixed(0)} MiB`,
        );
      }
  }
} finally {
  await client.end();
  await done();
}
writeFileSync(
  new URL('results/billing-memory.json', import.meta.url),
  `${JSON.stringify({ machine: await machine(), rows }, null, 2)}\n`,
);
console.log(
  '| Mirror | Subscriptions | Customers a page | Mode | Run | Peak RSS | Peak heap in use |',
);
console.log('| --- | ---: | ---: | --- | ---: | ---: | ---: |');
for (const r of rows)
  console.log(
    `| ${r.size} | ${r.subscriptions.toLocaleString('en')} | ${r.pageCustomers.toLocaleString('en')} | ${r.mode} | ${r.seconds.toFixed(2)} s | ${r.maxRssMiB.toFixed(0)} MiB | ${r.peakHeapMiB.toFixed(0)} MiB |`,
  );
