import { z } from 'zod';
import type { CustomQuery } from '../config/custom-queries.js';
import { type Sample, sample } from '../metrics/spec.js';
import type { Reject } from '../shared/reject.js';
import { withoutTrailingSemicolons } from '../shared/sql-text.js';
import { applyContract, boundStatement, type ContractRow } from '../sources/query-contract.js';
import type { Collector } from './types.js';

/** A custom query's settings live in `custom.<name>`, so it has no options of its own. */
const noOptions = z.object({}).strict();

/**
 * The user's query as a subquery capped at `maxSeries + 1` rows: the database
 * never sends more than the cap (plus one row that tells us it was exceeded),
 * and anything but a single SELECT fails to parse. The line break before `)`
 * ends a trailing `--` comment; trailing `;` are removed (they would end the
 * statement early), other ones make it fail.
 */
export function cappedSql(sql: string, maxSeries: number): string {
  const body = withoutTrailingSemicolons(sql);
  return `SELECT * FROM (\n${body}\n) AS custom_query LIMIT ${maxSeries + 1}`;
}

/** Each custom-query collector's SQL, as the user wrote it (for as-of.ts). */
const customSql = new WeakMap<Collector, string>();

/** The SQL of a custom-query collector; undefined for any other collector. */
export function customSqlOf(collector: Collector): string | undefined {
  return customSql.get(collector);
}

/**
 * The collector for one `custom.<name>` entry: its query runs in a read-only
 * transaction on the chosen database and each row gives one series per metric.
 * Rows beyond `maxSeries` are never read, rows repeating a label set or with a
 * NULL label are left out, and each of those is reported once per run, so a
 * query that suddenly returns a million rows floods neither Prometheus nor the log.
 */
export function customSqlCollector(key: string, query: CustomQuery): Collector {
  const name = `custom_${key}`;
  const contract = {
    sql: cappedSql(query.sql, query.maxSeries),
    labels: query.labels,
    values: query.metrics.map((metric) => metric.column),
  };
  const collector: Collector = {
    name,
    description: `Custom SQL metrics: ${query.metrics.map((metric) => metric.name).join(', ')}.`,
    source: query.source === 'events' ? 'analytics' : 'postgres',
    defaultSchedule: query.schedule,
    defaultTimeoutSeconds: query.timeoutSeconds,
    optionsSchema: noOptions,
    metrics: query.metrics.map((metric) => ({
      name: metric.name,
      help: metric.help,
      type: metric.type,
      labelNames: query.labels,
      // Not in the generated metrics reference (that lists built-in metrics only).
      unit: 'count' as const,
    })),
    async collect({ sources, signal, reject, at }) {
      const database = query.source === 'events' ? sources.events : sources.app;
      // `$at`, if the query uses it, is the instant the run computes as of (see as-of.ts).
      const statement = boundStatement(name, contract.sql, [], at);
      const result = await database.readOnly(signal, (run) =>
        run(statement.sql, statement.params, { asText: true }),
      );
      const tally = new RejectionTally(name);
      // Over the cap is judged on the rows read, before any is rejected.
      if (result.rows.length > query.maxSeries) {
        tally.add('over_max_series', {
          maxSeries: query.maxSeries,
          hint: `the query returned more than maxSeries rows; only the first ${query.maxSeries} were read`,
        });
      }
      const kept = result.rows.slice(0, query.maxSeries);
      const rows = applyContract(name, contract, result.columns, kept, tally.add);
      try {
        if (rows.length === 0 && query.zeroRows === 'fail') {
          throw new Error(`custom query "${key}" returned no rows (custom.${key}.zeroRows: fail)`);
        }
        return toSamples(query, rows, tally.add);
      } finally {
        tally.report(reject);
      }
    },
  };
  customSql.set(collector, query.sql);
  return collector;
}

/**
 * Rejections of one run, by reason: each is counted in full but logged once,
 * with its first example, so a query gone wrong on every row writes a few log
 * lines per run, not one per row.
 */
class RejectionTally {
  private readonly byReason = new Map<string, { rows: number; example: Record<string, unknown> }>();

  constructor(private readonly queryName: string) {}

  readonly add: Reject = (reason, detail, rows = 1) => {
    const entry = this.byReason.get(reason);
    if (entry) entry.rows += rows;
    else this.byReason.set(reason, { rows, example: detail });
  };

  report(reject: Reject): void {
    for (const [reason, { rows, example }] of this.byReason) {
      reject(reason, { query: this.queryName, rows, example }, rows);
    }
  }
}

/**
 * One series per metric for each row, except rows with a NULL label (unless
 * kept empty), a negative counter (the whole row, as for a NULL value) or a
 * label set already seen.
 */
function toSamples(query: CustomQuery, rows: readonly ContractRow[], reject: Reject): Sample[] {
  const samples: Sample[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const missing = query.labels.find((label) => row.labels[label] === null);
    if (missing !== undefined && query.nullLabels === 'reject') {
      reject('null_label', { column: missing, labels: row.labels });
      continue;
    }
    // Checked before repeats, so a bad first row does not hide a good repeat.
    const negative = query.metrics.find(
      (metric) => metric.type === 'counter' && (row.values[metric.column] ?? 0) < 0,
    );
    if (negative !== undefined) {
      reject('negative_counter', {
        column: negative.column,
        value: row.values[negative.column],
        labels: row.labels,
      });
      continue;
    }
    const labels = Object.fromEntries(
      query.labels.map((label) => [label, row.labels[label] ?? '']),
    );
    // Two rows with one label set would be two values for one series.
    const key = JSON.stringify(query.labels.map((label) => labels[label]));
    if (seen.has(key)) {
      reject('duplicate_series', {
        labels,
        hint:
          query.labels.length === 0
            ? 'the query has no labels, so only its first row is kept: add labels or aggregate'
            : 'rows repeat a label set: the first is kept; GROUP BY the label columns',
      });
      continue;
    }
    seen.add(key);
    for (const metric of query.metrics) {
      samples.push(sample(metric.name, row.values[metric.column] ?? Number.NaN, labels));
    }
  }
  return samples;
}

/** The collectors for every enabled `custom` entry. */
export function customSqlCollectors(custom: Readonly<Record<string, CustomQuery>>): Collector[] {
  return Object.entries(custom)
    .filter(([, query]) => query.enabled)
    .map(([key, query]) => customSqlCollector(key, query));
}
