import { z } from 'zod';
import type { LabelSets } from '../config/schema.js';
import type { MetricSpec } from '../metrics/spec.js';
import type { EventCounterDefinition } from './event-counts.js';
import { windowsDaysSchema } from './window-rows.js';

type Vocabulary = keyof LabelSets;

/** The counters derived from events; config may rename the event or property each one reads. */
export const counterSpecs = [
  {
    key: 'signups',
    metric: 'chom_funnel_signups_total',
    windowMetric: 'chom_funnel_signups_in_window',
    event: 'signed_up',
    help: 'Signups (funnel stage 1).',
  },
  {
    key: 'signups_by_channel',
    metric: 'chom_users_signups_total',
    windowMetric: 'chom_users_signups_in_window',
    event: 'signed_up',
    label: { name: 'channel', property: 'channel', vocabulary: 'channels' as Vocabulary },
    help: 'Signups by acquisition channel.',
  },
  {
    key: 'activated',
    metric: 'chom_funnel_activated_total',
    windowMetric: 'chom_funnel_activated_in_window',
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
    windowMetric: 'chom_funnel_trial_started_in_window',
    event: 'trial_started',
    help: 'Trials started (funnel stage 3).',
  },
  {
    key: 'paid',
    metric: 'chom_funnel_paid_total',
    windowMetric: 'chom_funnel_paid_in_window',
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
    windowMetric: 'chom_landing_page_visits_in_window',
    event: 'page_viewed',
    label: { name: 'page', property: 'page', vocabulary: 'landingPages' as Vocabulary },
    help: 'Landing page visits by page.',
    seedName: 'chom_landing_page_visits{page}',
  },
  {
    key: 'landing_page_conversions',
    metric: 'chom_landing_page_conversions_total',
    windowMetric: 'chom_landing_page_conversions_in_window',
    event: 'landing_page_converted',
    label: { name: 'page', property: 'page', vocabulary: 'landingPages' as Vocabulary },
    help: 'Landing page conversions by page.',
    seedName: 'chom_landing_page_conversions{page}',
  },
] as const;

type CounterSpec = (typeof counterSpecs)[number];
type CounterKey = CounterSpec['key'];

const identifier = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/,
    'expected a table name such as analytics_events or schema.table',
  );

/** A counter's override: its event, and for a labelled counter the property; defaults named. */
function overrideSchema(spec: CounterSpec) {
  const event = z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(`Event name counted (event_name column); default \`${spec.event}\`.`);
  if (!('label' in spec)) return z.object({ event }).strict().optional();
  const property = z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      `Key in the properties JSON whose value is the \`${spec.label.name}\` label; default \`${spec.label.property}\`. Values outside \`labels.${spec.label.vocabulary}\`, and events without the key (or with a null value), count as \`other\`.`,
    );
  return z.object({ event, property }).strict().optional();
}

export const eventCounterOptionsSchema = z
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
    windowsDays: windowsDaysSchema,
    counters: z
      .object(
        Object.fromEntries(counterSpecs.map((spec) => [spec.key, overrideSchema(spec)])) as Record<
          CounterKey,
          ReturnType<typeof overrideSchema>
        >,
      )
      .strict()
      .prefault({})
      .describe(
        'Overrides of the event and property each counter reads, by counter key. A change by reload makes the counters count the table again from the start.',
      ),
  })
  .strict();

export type EventCounterOptions = z.infer<typeof eventCounterOptionsSchema>;

/** A spec's definition under `metric`, with the config's event and property names. */
function definitionOf(
  spec: CounterSpec,
  metric: string,
  options: EventCounterOptions,
  labelSets: LabelSets,
): EventCounterDefinition {
  const override = options.counters[spec.key] as { event?: string; property?: string } | undefined;
  const label =
    'label' in spec
      ? {
          name: spec.label.name,
          property: override?.property ?? spec.label.property,
          vocabulary: labelSets[spec.label.vocabulary],
        }
      : undefined;
  return { metric, event: override?.event ?? spec.event, ...(label ? { label } : {}) };
}

/** The definitions in force: defaults with the config's event and property names. */
export function eventCounterDefinitions(
  options: EventCounterOptions,
  labelSets: LabelSets,
): EventCounterDefinition[] {
  return counterSpecs.map((spec) => definitionOf(spec, spec.metric, options, labelSets));
}

/**
 * The definitions of the `_in_window` gauges: the same events and properties
 * as their lifetime counters, under the gauge's name (its `window` label is
 * added per window).
 */
export function eventWindowDefinitions(
  options: EventCounterOptions,
  labelSets: LabelSets,
): EventCounterDefinition[] {
  return counterSpecs.flatMap((spec) =>
    'windowMetric' in spec ? [definitionOf(spec, spec.windowMetric, options, labelSets)] : [],
  );
}

export const eventCounterMetrics: MetricSpec[] = counterSpecs.map((spec) => ({
  name: spec.metric,
  help: `${spec.help} Exact lifetime count of events in the events table (purged events stay counted), never lowered while the process runs.${'label' in spec ? ` Label from the \`${spec.label.property}\` property by default; \`other\` for values outside the vocabulary and events without it.` : ''}`,
  type: 'counter',
  labelNames: 'label' in spec ? [spec.label.name] : [],
  unit: 'count',
  seedName:
    'seedName' in spec
      ? spec.seedName
      : `${spec.metric}${'label' in spec ? `{${spec.label.name}}` : ''}`,
  ...('seedName' in spec ? { seedMapping: 'a lifetime count is a counter: _total added' } : {}),
}));

/** The `_in_window` gauges: the events of some counters over the trailing windows. */
export const eventWindowMetrics: MetricSpec[] = counterSpecs.flatMap((spec) =>
  'windowMetric' in spec
    ? [
        {
          name: spec.windowMetric,
          help: `${spec.help.slice(0, -1)} in the trailing window: events whose occurred_at is in the last n days of 24 hours up to the run's instant (window="<n>d"; 7d and 30d by default), counted by the source over the whole window, so a ratio of two of them covers the same days however much history Prometheus holds.${'label' in spec ? ` Label as in ${spec.metric}.` : ''}`,
          type: 'gauge' as const,
          labelNames: [...('label' in spec ? [spec.label.name] : []), 'window'],
          unit: 'count' as const,
        },
      ]
    : [],
);
