import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../app/config.js';
import { analyticsEventCounters, groupedCountSql } from './analytics-event-counters.js';
import { eventCounterDefinitions } from './event-counter-specs.js';

type Options = Parameters<typeof eventCounterDefinitions>[0];

function options(raw: Record<string, unknown> = {}): Options {
  return analyticsEventCounters.optionsSchema.parse(raw) as Options;
}

const labelSets = {
  ...parseConfig({}).labels,
  channels: ['web', 'store'],
};

function definitionOf(definitions: ReturnType<typeof eventCounterDefinitions>, metric: string) {
  const found = definitions.find((definition) => definition.metric === metric);
  if (!found) throw new Error(`no definition for ${metric}`);
  return found;
}

describe('eventCounterDefinitions', () => {
  it('defines one counter for every metric of the collector', () => {
    const definitions = eventCounterDefinitions(options(), labelSets);
    expect(definitions.map((d) => d.metric).sort()).toEqual(
      analyticsEventCounters.metrics
        .filter((m) => m.type === 'counter')
        .map((m) => m.name)
        .sort(),
    );
  });

  it('labels a counter exactly when its metric has a label', () => {
    const definitions = eventCounterDefinitions(options(), labelSets);
    for (const spec of analyticsEventCounters.metrics.filter((m) => m.type === 'counter')) {
      const definition = definitionOf(definitions, spec.name);
      expect(definition.label ? [definition.label.name] : []).toEqual(spec.labelNames);
    }
  });

  it('takes label vocabularies from the label sets', () => {
    const definitions = eventCounterDefinitions(options(), labelSets);
    expect(definitionOf(definitions, 'chom_users_signups_total').label?.vocabulary).toEqual(
      labelSets.channels,
    );
    expect(definitionOf(definitions, 'chom_feature_usage_total').label?.vocabulary).toEqual(
      labelSets.features,
    );
  });

  it('applies an event override to its counter only', () => {
    const defaults = eventCounterDefinitions(options(), labelSets);
    const definitions = eventCounterDefinitions(
      options({ counters: { signups: { event: 'user_registered' } } }),
      labelSets,
    );
    expect(definitionOf(definitions, 'chom_funnel_signups_total').event).toBe('user_registered');
    expect(definitions.filter((d) => d.metric !== 'chom_funnel_signups_total')).toEqual(
      defaults.filter((d) => d.metric !== 'chom_funnel_signups_total'),
    );
  });

  it('applies a property override, keeping the label name', () => {
    const definitions = eventCounterDefinitions(
      options({
        counters: { signups_by_channel: { event: 'registered', property: 'utm_source' } },
      }),
      labelSets,
    );
    expect(definitionOf(definitions, 'chom_users_signups_total')).toEqual({
      metric: 'chom_users_signups_total',
      event: 'registered',
      label: { name: 'channel', property: 'utm_source', vocabulary: labelSets.channels },
    });
  });

  it('rejects an override for a counter key that does not exist', () => {
    expect(() => options({ counters: { nope: { event: 'x' } } })).toThrow();
  });
});

describe('groupedCountSql', () => {
  it('selects one property per parameter after the three fixed ones and groups by all', () => {
    const sql = groupedCountSql('analytics_events', 2);
    expect(sql).toContain(
      'SELECT event_name, properties ->> $4 AS p0, properties ->> $5 AS p1, count(*) AS n',
    );
    expect(sql).toContain('FROM analytics_events\n');
    expect(sql).toContain('GROUP BY 1, 2, 3');
  });

  it('groups by event name only without properties', () => {
    const sql = groupedCountSql('analytics_events', 0);
    expect(sql).toContain('SELECT event_name, count(*) AS n\n');
    expect(sql).not.toContain('->>');
    expect(sql).toMatch(/GROUP BY 1$/);
  });

  it('reads the configured table', () => {
    expect(groupedCountSql('tracking.events', 1)).toContain('FROM tracking.events\n');
  });

  it('bounds ids by the watermark ($1, optional), the upper id ($2) and the event names ($3)', () => {
    const sql = groupedCountSql('analytics_events', 0);
    expect(sql).toContain('($1::bigint IS NULL OR id > $1::bigint)');
    expect(sql).toContain('id <= $2::bigint');
    expect(sql).toContain('event_name = ANY($3::text[])');
  });
});

describe('the documented defaults (docs/configuration.md is generated from these)', () => {
  const schema = z.toJSONSchema(analyticsEventCounters.optionsSchema, {
    io: 'input',
  }) as unknown as {
    properties: {
      counters: {
        properties: Record<string, { properties: Record<string, { description?: string }> }>;
      };
    };
  };
  const overrides = schema.properties.counters.properties;
  const defaults = eventCounterDefinitions(options(), labelSets);

  it.each(Object.keys(overrides))(
    '%s names its default event, and property with what a missing key means',
    (key) => {
      const definition = defaults[Object.keys(overrides).indexOf(key)];
      const { event, property } = overrides[key]?.properties ?? {};
      expect(event?.description).toContain(`default \`${definition?.event}\``);
      if (!definition?.label) return expect(property).toBeUndefined();
      expect(property?.description).toContain(`default \`${definition.label.property}\``);
      expect(property?.description).toMatch(/without the key .* count as `other`/);
    },
  );
});
