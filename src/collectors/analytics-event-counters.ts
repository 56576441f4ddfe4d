import { z } from 'zod';
import type { LabelSets } from '../config/schema.js';
import type { MetricSpec } from '../metrics/spec.js';
import { sample } from '../metrics/spec.js';
import {
  addCounts,
  countersFromTotals,
  type EventCounterDefinition,
  type EventCounts,
  type EventGroupRow,
  mergeRecount,
} from './event-counts.js';
import { parseNumericCell } from './query-contract.js';
import type { Collector } from './types.js';

type Vocabulary = keyof LabelSets;

/** The counters derived from events; config may rename the event or property each one reads. */
const counterSpecs = [
  {
    key: 'signups',
    metric: 'chom_funnel_signups_total',
    event: 'signed_up',
    help: 'Signups (funnel stage 1).',
  },
  {
    key: 'signups_by_channel',
    metric: 'chom_users_signups_total',
    event: 'signed_up',
    label: { name: 'channel', property: 'channel', vocabulary: 'channels' as Vocabulary },
    help: 'Signups by acquisition channel.',
  },
  {
    key: 'activated',
    metric: 'chom_funnel_activated_total',
    event: 'activated',
    help: 'Users who completed activation (funnel stage 2).',
  },
  {
    key: 'users_activated',
    metric: 'chom_users_activated_total',
    event: 'activated',
    help: 'Users who completed activation.',
  },
  {
    key: 'trial_started',
    metric: 'chom_funnel_trial_started_total',
    event: 'trial_started',
    help: 'Trials started (funnel stage 3).',
  },
  {
    key: 'paid',
    metric: 'chom_funnel_paid_total',
    event: 'converted_to_paid',
    help: 'Conversions to a paid plan (funnel stage 4).',
  },
  { key: 'logins', metric: 'chom_user_logins_total', event: 'logged_in', help: 'User logins.' },
  {
    key: 'feature_usage',
    metric: 'chom_feature_usage_total',
    event: 'feature_used',
    label: { name: 'feature', property: 'feature', vocabulary: 'features' as Vocabulary },
    help: 'Feature uses by feature.',
  },
  {
    key: 'landing_page_visits',
    metric: 'chom_landing_page_visits_total',
    event: 'page_viewed',
    label: { name: 'page', property: 'page', vocabulary: 'landingPages' as Vocabulary },
    help: 'Landing page visits by page.',
    seedName: 'chom_landing_page_visits{page}',
  },
  {
    key: 'landing_page_conversions',
    metric: 'chom_landing_page_conversions_total',
    event: 'landing_page_converted',
    label: { name: 'page', property: 'page', vocabulary: 'landingPages' as Vocabulary },
    help: 'Landing page conversions by page.',
    seedName: 'chom_landing_page_conversions{page}',
  },
] as const;

type CounterKey = (typeof counterSpecs)[number]['key'];

const identifier = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/,
    'expected a table name such as analytics_events or schema.table',
  );

const eventName = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe('Event name counted (event_name column).');
const propertyKey = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe('Key in the properties JSON whose value is the label.');
/** Only labelled counters read a property, so only they accept one. */
const overrideSchema = z.object({ event: eventName }).strict();
const labelledOverrideSchema = z.object({ event: eventName, property: propertyKey }).strict();

const optionsSchema = z
  .object({
    table: identifier
      .default('analytics_events')
      .describe('The events table (optionally schema-qualified).'),
    /** A full recount also picks up events whose transaction committed after the watermark moved past their id. */
    recountIntervalSeconds: z
      .number()
      .int()
      .min(60)
      .default(3600)
      .describe('How often the whole table is recounted, to pick up events that committed late.'),
    counters: z
      .object(
        Object.fromEntries(
          counterSpecs.map((spec) => [
            spec.key,
            ('label' in spec ? labelledOverrideSchema : overrideSchema).optional(),
          ]),
        ) as Record<CounterKey, z.ZodOptional<typeof labelledOverrideSchema>>,
      )
      .strict()
      .prefault({})
      .describe('Overrides of the event and property each counter reads, by counter key.'),
  })
  .strict();
type Options = z.infer<typeof optionsSchema>;

interface State {
  watermark: string | undefined;
  totals: EventCounts;
  lastRecountAt: number;
}

/** The definitions in force: defaults with the config's event and property names. */
export function eventCounterDefinitions(
  options: Options,
  labelSets: LabelSets,
): EventCounterDefinition[] {
  return counterSpecs.map((spec) => {
    const override = options.counters[spec.key];
    const label =
      'label' in spec
        ? {
            name: spec.label.name,
            property: override?.property ?? spec.label.property,
            vocabulary: labelSets[spec.label.vocabulary],
          }
        : undefined;
    return {
      metric: spec.metric,
      event: override?.event ?? spec.event,
      ...(label ? { label } : {}),
    };
  });
}

/** Grouped counts of events with ids in (after, upTo]; `after` undefined counts from the start. */
export function groupedCountSql(table: string, propertyCount: number): string {
  const properties = Array.from(
    { length: propertyCount },
    (_, i) => `properties ->> $${i + 4} AS p${i}`,
  );
  const groupBy = Array.from({ length: propertyCount + 1 }, (_, i) => String(i + 1));
  return `SELECT event_name, ${[...properties, 'count(*) AS n'].join(', ')}
FROM ${table}
WHERE ($1::bigint IS NULL OR id > $1::bigint) AND id <= $2::bigint AND event_name = ANY($3::text[])
GROUP BY ${groupBy.join(', ')}`;
}

const metrics: MetricSpec[] = counterSpecs.map((spec) => ({
  name: spec.metric,
  help: `${spec.help} Exact lifetime count of events in the events table.`,
  type: 'counter',
  labelNames: 'label' in spec ? [spec.label.name] : [],
  unit: 'count',
  seedName:
    'seedName' in spec
      ? spec.seedName
      : `${spec.metric}${'label' in spec ? `{${spec.label.name}}` : ''}`,
  ...('seedName' in spec ? { seedMapping: 'a lifetime count is a counter: _total added' } : {}),
}));

export const analyticsEventCounters: Collector<Options, State> = {
  name: 'analytics_event_counters',
  description:
    'Funnel, signup, login, feature and landing-page counters from the analytics events table, counted incrementally.',
  source: 'analytics',
  defaultSchedule: '* * * * *',
  defaultTimeoutSeconds: 300,
  optionsSchema,
  metrics,
  createState: () => ({ watermark: undefined, totals: new Map(), lastRecountAt: 0 }),
  async collect({ sources, signal, options, state, labelSets, log }) {
    const definitions = eventCounterDefinitions(options, labelSets);
    const events = [...new Set(definitions.map((d) => d.event))];
    const propertyKeys = [
      ...new Set(definitions.flatMap((d) => (d.label ? [d.label.property] : []))),
    ];
    const now = Date.now();
    const recount =
      state.watermark === undefined ||
      now - state.lastRecountAt >= options.recountIntervalSeconds * 1000;

    const { upTo, rows } = await sources.events.readOnly(signal, async (query) => {
      const max = await query(`SELECT coalesce(max(id), 0)::text AS max_id FROM ${options.table}`);
      const upTo = String(max.rows[0]?.max_id ?? '0');
      const after = recount ? null : state.watermark;
      const result = await query(groupedCountSql(options.table, propertyKeys.length), [
        after,
        upTo,
        events,
        ...propertyKeys,
      ]);
      return { upTo, rows: result.rows.map((row) => toGroupRow(row, propertyKeys.length)) };
    });

    // Only now, with the whole round read, is the state changed: a failed round leaves it as it was.
    if (recount) {
      const totals: EventCounts = new Map();
      addCounts(totals, rows);
      if (state.watermark === undefined) state.totals = totals;
      else mergeRecount(state.totals, rows);
      state.lastRecountAt = now;
      log.info({ watermark: upTo, groups: rows.length }, 'counted all events');
    } else {
      addCounts(state.totals, rows);
    }
    state.watermark = upTo;
    return countersFromTotals(state.totals, definitions, propertyKeys).map(
      ({ metric, labels, value }) => sample(metric, value, labels),
    );
  },
};

function toGroupRow(row: Record<string, unknown>, propertyCount: number): EventGroupRow {
  const properties = Array.from({ length: propertyCount }, (_, i) => {
    const value = row[`p${i}`];
    return value === null || value === undefined ? null : String(value);
  });
  return { event: String(row.event_name), properties, count: parseNumericCell(row.n) ?? 0 };
}
