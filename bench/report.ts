/**
 * Prints the scrape tables of bench/README.md from bench/results/scrape.json, so
 * the README's numbers are copied from the run, not typed.
 *
 *   npx tsx bench/report.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Row = Record<string, number | string | undefined>;
const results = JSON.parse(
  readFileSync(fileURLToPath(new URL('results/scrape.json', import.meta.url)), 'utf8'),
) as { synthetic: Row[]; sameSql: { results: Row[] } };

const whole = (n: unknown) => Math.round(Number(n)).toLocaleString('en-US');
const ms = (n: unknown) => {
  const value = Number(n);
  if (value >= 100) return `${whole(value)} ms`;
  return `${value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(2)} ms`;
};
const rate = (n: unknown) => (Number(n) >= 100 ? whole(n) : Number(n).toFixed(1));
const kb = (n: unknown) => `${(Number(n) / 1024).toFixed(Number(n) < 10_240 ? 1 : 0)} kB`;
const ratio = (a: unknown, b: unknown) => (Number(a) / Number(b)).toFixed(2);

const find = (rows: Row[], match: Row) =>
  rows.find((row) => Object.entries(match).every(([key, value]) => row[key] === value));

console.log('| Series | Server | Requests/s | p50 | p99 | gzip size | RSS |');
console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of results.synthetic) {
  console.log(
    `| ${whole(row.syntheticSeries)} | ${row.server} | ${rate(row.requestsPerSecond)} | ${ms(row.p50Ms)} | ${ms(row.p99Ms)} | ${kb(row.gzipBytes)} | ${row.rssMegabytes} MB |`,
  );
}
for (const count of [1_000, 10_000, 50_000]) {
  const ours = find(results.synthetic, { syntheticSeries: count, server: 'ours' });
  const bare = find(results.synthetic, { syntheticSeries: count, server: 'bare' });
  const naive = find(results.synthetic, { syntheticSeries: count, server: 'naive' });
  console.log(
    `\n${whole(count)} series: ours / bare = ${ratio(ours?.requestsPerSecond, bare?.requestsPerSecond)}, ours / naive = ${whole(Number(ours?.requestsPerSecond) / Number(naive?.requestsPerSecond))}x`,
  );
}

console.log(
  '\n| Organizations | Server | Series | Requests/s | p50 | p99 | Scrape alone | Transactions per scrape | Rows read per scrape | Transactions/s under load | RSS |',
);
console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of results.sameSql.results) {
  console.log(
    `| ${whole(row.organizations)} | ${row.server} | ${whole(row.series)} | ${rate(row.requestsPerSecond)} | ${ms(row.p50Ms)} | ${ms(row.p99Ms)} | ${ms(row.scrapeAloneMs)} | ${row.transactionsPerScrape} | ${whole(row.rowsReadPerScrape)} | ${rate(row.transactionsPerSecondUnderLoad)} | ${row.rssMegabytes} MB |`,
  );
}
const sizes = [...new Set(results.sameSql.results.map((row) => row.organizations))];
for (const organizations of sizes) {
  const at = (server: string) => find(results.sameSql.results, { organizations, server });
  const custom = at('ours-custom')?.requestsPerSecond;
  console.log(
    `\n${whole(organizations)} organizations: ours-custom / postgres-exporter = ${whole(Number(custom) / Number(at('postgres-exporter')?.requestsPerSecond))}x, ours-custom / sql-exporter = ${whole(Number(custom) / Number(at('sql-exporter')?.requestsPerSecond))}x`,
  );
}
