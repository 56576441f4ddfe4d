import { z } from 'zod';
import { cronExpression } from '../shared/cron.js';
import { highestPlaceholder } from '../shared/sql-text.js';

/** A result column: PostgreSQL folds unquoted aliases to lower case, so only those match. */
const column = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lower-case column name (letters, digits, _)');

/**
 * A label column. `__` names are Prometheus's own; `job` and `instance` are set
 * by the scrape, which would rename ours to `exported_job`/`exported_instance`.
 */
const labelColumn = column.refine(
  (name) => !name.startsWith('__') && name !== 'job' && name !== 'instance',
  'a label may not start with __ nor be job or instance (Prometheus sets those): alias the column',
);

/**
 * One metric of a custom query. `reserved` names every built-in metric (the
 * collectors' and the exporter's own): a custom metric may not reuse one, or two
 * collectors would publish the same family.
 */
const customMetricSchema = (reserved: ReadonlySet<string>) =>
  z
    .object({
      column: column.describe('Result column holding the value (numeric; NULL rejects the row).'),
      name: z
        .string()
        .regex(
          /^chom_[a-z0-9_]*[a-z0-9]$/,
          'expected a metric name starting with chom_ (lower case, digits, _)',
        )
        .describe('Metric name; starts with chom_. Counters end in _total, gauges do not.'),
      type: z
        .enum(['gauge', 'counter'])
        .default('gauge')
        .describe(
          'gauge, or counter for a total the database keeps (a count of all rows ever): the value is exported as read, never added to.',
        ),
      help: z
        .string()
        .min(1)
        .max(300)
        .describe(
          'HELP text shown with the metric; say the unit (base units: seconds, bytes, ratios).',
        ),
    })
    .strict()
    .superRefine((metric, context) => {
      const total = metric.name.endsWith('_total');
      if (metric.type === 'counter' && !total) {
        context.addIssue({ code: 'custom', path: ['name'], message: 'a counter ends in _total' });
      }
      if (metric.type === 'gauge' && total) {
        context.addIssue({
          code: 'custom',
          path: ['name'],
          message: '_total is for counters: drop it or set type: counter',
        });
      }
      if (reserved.has(metric.name)) {
        context.addIssue({
          code: 'custom',
          path: ['name'],
          message: `${metric.name} is a built-in metric; choose another name`,
        });
      }
    });

const customQuerySchema = (reserved: ReadonlySet<string>) =>
  z
    .object({
      enabled: z.boolean().default(true).describe('Run this query. Disabled: it exports nothing.'),
      source: z
        .enum(['app', 'events'])
        .default('app')
        .describe(
          'Database to run it on: app (database.url) or events (events.url, the app database when unset).',
        ),
      sql: z
        .string()
        .min(1)
        .refine(
          (sql) => highestPlaceholder(sql) === 0,
          'takes no numbered bind parameters ($1, $2, ...); $at is the one parameter it may use',
        )
        .describe(
          "One SELECT (WITH and VALUES too), run as a subquery in a read-only transaction, under the statementTimeoutSeconds of the database it runs on (database or events). No numbered bind parameters; `$at` is the instant the run computes as of (a timestamptz: the run's start, or a past step in a backfill), and a query that uses it for every time bound can be backfilled (a query without it is live-only). Labels are the text PostgreSQL prints (a date as 2026-11-01, timestamptz in UTC); to_char chooses another format.",
        ),
      labels: z
        .array(labelColumn)
        .max(10)
        .default([])
        .describe(
          'Result columns that become labels, on every metric of this query (NULL: see nullLabels).',
        ),
      metrics: z
        .array(customMetricSchema(reserved))
        .min(1)
        .max(20)
        .describe('One metric per value column.'),
      schedule: cronExpression.default('*/5 * * * *').describe('Cron expression.'),
      timeoutSeconds: z
        .number()
        .positive()
        .max(3600)
        .default(60)
        .describe(
          'A run that takes longer is cut off and counted as an error; the last values stay.',
        ),
      maxSeries: z
        .number()
        .int()
        .min(1)
        .max(100_000)
        .default(1000)
        .describe(
          'Rows read per run, in the order the query returns them (ORDER BY picks which); each row is one series per metric. The database is asked for one row more; when it has it, the rest are not read and the run counts one rejection, reason over_max_series.',
        ),
      nullLabels: z
        .enum(['reject', 'empty'])
        .default('reject')
        .describe(
          'A NULL in a label column: reject (the row is left out and counted, reason null_label) or empty (the label is exported empty, which PromQL treats as absent).',
        ),
      zeroRows: z
        .enum(['allow', 'fail'])
        .default('allow')
        .describe(
          'No rows: allow (the query exports no series this run) or fail (the run fails, the last values stay).',
        ),
    })
    .strict()
    .superRefine((query, context) => {
      const columns = [...query.labels, ...query.metrics.map((metric) => metric.column)];
      const repeated = columns.filter((name, index) => columns.indexOf(name) !== index);
      for (const name of new Set(repeated)) {
        context.addIssue({
          code: 'custom',
          path: ['metrics'],
          message: `column "${name}" is used twice (a column is one label or one value)`,
        });
      }
    });

export type CustomQuery = z.infer<ReturnType<typeof customQuerySchema>>;

/**
 * `custom`: the user's own SQL metrics, keyed by a name that becomes the
 * collector `custom_<name>` (its schedule, health metrics and log binding).
 * The built-in metric names come from the caller, so config imports no collector.
 */
export const customQueriesSchema = (reservedMetricNames: ReadonlySet<string>) =>
  z
    .record(
      z.string().regex(/^[a-z][a-z0-9_]{0,40}$/, 'expected a snake_case name (a-z, 0-9, _)'),
      customQuerySchema(reservedMetricNames),
    )
    .default({})
    .superRefine((queries, context) => {
      const owner = new Map<string, string>();
      for (const [key, query] of Object.entries(queries)) {
        query.metrics.forEach((metric, index) => {
          const first = owner.get(metric.name);
          if (first !== undefined) {
            context.addIssue({
              code: 'custom',
              path: [key, 'metrics', index, 'name'],
              message: `${metric.name} is already defined by custom.${first}`,
            });
          } else owner.set(metric.name, key);
        });
      }
    })
    .describe(
      'Your own SQL metrics: each entry runs one query on a schedule and exports its value columns as gauges or counters.',
    );
