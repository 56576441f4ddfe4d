/**
 * Our default query pack, as the peers must run it: the SQL our collectors
 * actually send in one round on a database, with the parameters inlined, and
 * which columns are labels and which are values. Recording the round (rather
 * than copying the SQL by hand) keeps the peers on exactly our queries.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { stringify } from 'yaml';
import { parseConfig } from '../../src/app/config.js';
import { closeSources } from '../../src/app/create-sources.js';
import { buildExporter, buildSources } from '../../src/app/service.js';
import type { QuerySpec } from '../../src/sources/query-contract.js';
import type { QueryFn, SqlSource } from '../../src/sources/sql-source.js';

export interface PackQuery {
  readonly name: string;
  readonly sql: string;
  readonly labels: readonly string[];
  readonly values: readonly string[];
}

/** Every `fooQueries` QuerySpec record exported by the SQL collectors, by SQL text. */
async function knownQueries(): Promise<Map<string, { name: string; spec: QuerySpec }>> {
  const folder = fileURLToPath(new URL('../../src/collectors/', import.meta.url));
  const known = new Map<string, { name: string; spec: QuerySpec }>();
  for (const file of readdirSync(folder).filter((f) => /^postgres-.*(?<!\.test)\.ts$/.test(f))) {
    const module = (await import(`${folder}${file}`)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(module)) {
      if (!exportName.endsWith('Queries')) continue;
      const prefix = exportName
        .replace(/Queries$/, '')
        .replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      for (const [key, spec] of Object.entries(value as Record<string, QuerySpec>)) {
        known.set(spec.sql, { name: `${prefix}_${key}`, spec });
      }
    }
  }
  return known;
}

/** A parameter as an SQL literal (the peers have no bind parameters). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]`;
  if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

export function inlineParams(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
}

/**
 * Runs one round of the default configuration on `url` and returns the SQL
 * that produced metrics. The billing mirror's row queries are left out: they
 * feed MRR arithmetic done in JavaScript, which no SQL exporter can reproduce.
 */
export async function recordQueryPack(url: string): Promise<PackQuery[]> {
  const known = await knownQueries();
  const sent: { sql: string; params: readonly unknown[] }[] = [];
  const recording = (source: SqlSource): SqlSource => ({
    readOnly: (signal, work) =>
      source.readOnly(signal, (query) => {
        const recorded: QueryFn = (sql, params = []) => {
          sent.push({ sql, params });
          return query(sql, params);
        };
        return work(recorded);
      }),
    close: () => source.close(),
  });
  const config = parseConfig({ database: { url } });
  const real = buildSources(config, { url: url }, pino({ level: 'silent' }));
  const exporter = buildExporter(
    config,
    { ...real, app: recording(real.app), events: recording(real.events) },
    pino({ level: 'silent' }),
  ).exporter;
  try {
    if ((await exporter.runOnce()) > 0) throw new Error('a collector failed on the demo data');
  } finally {
    await exporter.stop();
    await closeSources(real);
  }

  const pack: PackQuery[] = [];
  for (const { sql, params } of sent) {
    const match = known.get(sql);
    if (match) {
      // A query run once per window (marketing spend) becomes one namespace per window.
      const taken = pack.some((q) => q.name === match.name);
      const name = taken ? `${match.name}_${String(params[0])}` : match.name;
      pack.push({ ...match.spec, name, sql: inlineParams(sql, params) });
    } else if (sql.startsWith('SELECT event_name')) {
      // The event counters' first round: a grouped count of the whole table.
      const properties = [...sql.matchAll(/ AS (p\d+)/g)].map((m) => m[1] ?? '');
      pack.push({
        name: 'events_grouped_counts',
        sql: inlineParams(sql, params),
        labels: ['event_name', ...properties],
        values: ['n'],
      });
    } else if (sql.includes('max(id)')) {
      pack.push({ name: 'events_max_id', sql, labels: [], values: ['max_id'] });
    }
  }
  return pack.sort((a, b) => a.name.localeCompare(b.name));
}

/** prometheus-postgres-exporter's `--extend.query-path` file: one namespace per query. */
export function postgresExporterQueries(pack: readonly PackQuery[]): string {
  const namespaces = Object.fromEntries(
    pack.map((q) => [
      `chom_${q.name}`,
      {
        query: q.sql,
        metrics: [
          ...q.labels.map((column) => ({ [column]: { usage: 'LABEL', description: column } })),
          ...q.values.map((column) => ({ [column]: { usage: 'GAUGE', description: column } })),
        ],
      },
    ]),
  );
  return stringify(namespaces, { lineWidth: 0 });
}

/** prometheus-sql-exporter's (justwatchcom) config: one job with every query. */
export function sqlExporterConfig(
  pack: readonly PackQuery[],
  url: string,
  interval: string,
): string {
  return stringify(
    {
      jobs: [
        {
          name: 'chom',
          interval,
          connections: [url],
          queries: pack.map((q) => ({
            name: q.name,
            help: `chom ${q.name}`,
            labels: q.labels,
            values: q.values,
            query: q.sql,
          })),
        },
      ],
    },
    { lineWidth: 0 },
  );
}

/**
 * Our own `custom` section running the pack: one entry per query, one gauge
 * per value column, NULL labels exported empty as the peers do, and room for
 * every row (the per-organization query returns one row per organization).
 */
export function customQueriesConfig(pack: readonly PackQuery[]): Record<string, unknown> {
  return Object.fromEntries(
    pack.map((q) => [
      q.name,
      {
        sql: q.sql,
        labels: q.labels,
        metrics: q.values.map((column) => ({
          column,
          name: `chom_pack_${q.name}_${column}`,
          help: `chom ${q.name} ${column}`,
        })),
        maxSeries: 100_000,
        nullLabels: 'empty',
      },
    ]),
  );
}
