import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { customQueriesSchema } from './custom-queries.js';
import { ConfigError, parseConfigWith } from './load.js';
import { type CollectorsSettings, configSchemaWith } from './schema.js';

// Config on its own, as a leaf: no collector registered, the reserved names given here.
const schema = configSchemaWith({
  collectors: z.record(z.string(), z.unknown()) as z.ZodType<CollectorsSettings>,
  custom: customQueriesSchema(new Set(['chom_taken'])),
});
const custom = (name: string) => ({
  custom: {
    signups: {
      sql: 'SELECT count(*) AS signups FROM users',
      metrics: [{ column: 'signups', name, help: 'Signups.' }],
    },
  },
});

describe('the configuration sections without the collectors', () => {
  it('validate and fill their defaults', () => {
    const config = parseConfigWith(schema, { server: { port: 9900 } });
    expect(config.server).toEqual({ host: '0.0.0.0', port: 9900 });
    expect(config.database.poolSize).toBe(4);
    expect(config.custom).toEqual({});
  });

  it('refuse exactly the metric names the caller reserves for custom queries', () => {
    expect(() => parseConfigWith(schema, custom('chom_taken'))).toThrow(
      'custom.signups.metrics.0.name: chom_taken is a built-in metric',
    );
    expect(() => parseConfigWith(schema, custom('chom_taken'))).toThrow(ConfigError);
    // A collector's metric name is not reserved here: the assembly (app/config.ts) passes those.
    expect(parseConfigWith(schema, custom('chom_nps_score')).custom.signups?.metrics[0]?.name).toBe(
      'chom_nps_score',
    );
  });
});
