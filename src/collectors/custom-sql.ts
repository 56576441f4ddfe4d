import { z } from 'zod';
import type { CustomQuery } from '../config/custom-queries.js';
import { type Sample, sample } from '../metrics/spec.js';
import { queryWithContract } from './query-contract.js';
import type { Collector } from './types.js';

/** A custom query's settings live in `custom.<name>`, so it has no options of its own. */
const noOptions = z.object({}).strict();

/**
 * The collector for one `custom.<name>` entry: its query runs in a read-only
 * transaction on the chosen database, each row gives one series per metric,
 * and rows beyond `maxSeries` are dropped (counted once per run), so a query
 * that suddenly returns a million rows cannot flood Prometheus.
 */
export function customSqlCollector(key: string, query: CustomQuery): Collector {
  const name = `custom_${key}`;
  const contract = {
    sql: query.sql,
    labels: query.labels,
    values: query.metrics.map((metric) => metric.column),
  };
  return {
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
    async collect({ sources, signal, reject }) {
      const database = query.source === 'events' ? sources.events : sources.app;
      return database.readOnly(signal, async (run) => {
        const rows = await queryWithContract(run, name, contract, [], reject);
        if (rows.length === 0 && query.zeroRows === 'fail') {
          throw new Error(`custom query "${key}" returned no rows (custom.${key}.zeroRows: fail)`);
        }
        const samples: Sample[] = [];
        let kept = 0;
        let dropped = 0;
        for (const row of rows) {
          const nullLabel = query.labels.find((label) => row.labels[label] === null);
          if (nullLabel !== undefined && query.nullLabels === 'reject') {
            reject('null_label', { query: name, column: nullLabel, labels: row.labels });
            continue;
          }
          if (kept === query.maxSeries) {
            dropped += 1;
            continue;
          }
          kept += 1;
          const labels = Object.fromEntries(
            query.labels.map((label) => [label, row.labels[label] ?? '']),
          );
          for (const metric of query.metrics) {
            samples.push(sample(metric.name, row.values[metric.column] ?? Number.NaN, labels));
          }
        }
        if (dropped > 0) {
          reject('over_max_series', {
            query: name,
            maxSeries: query.maxSeries,
            rowsDropped: dropped,
          });
        }
        return samples;
      });
    },
  };
}

/** The collectors for every enabled `custom` entry. */
export function customSqlCollectors(custom: Readonly<Record<string, CustomQuery>>): Collector[] {
  return Object.entries(custom)
    .filter(([, query]) => query.enabled)
    .map(([key, query]) => customSqlCollector(key, query));
}
