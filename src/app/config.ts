import type { z } from 'zod';
import {
  builtInCollectorMetricNames,
  collectorsSettingsSchema,
} from '../collectors/settings-schema.js';
import { customQueriesSchema } from '../config/custom-queries.js';
import { type Env, loadConfigWith, parseConfigWith } from '../config/load.js';
import { configSchemaWith } from '../config/schema.js';
import { selfMetricSpecs } from '../metrics/self-metrics.js';

/**
 * The one place the full configuration schema is assembled: config/ holds the
 * sections and knows no collector; the collector registry brings its settings
 * schema, and the names custom metrics may not reuse are passed in.
 */
export const configSchema = configSchemaWith({
  collectors: collectorsSettingsSchema,
  custom: customQueriesSchema(
    new Set([...builtInCollectorMetricNames, ...selfMetricSpecs.map((metric) => metric.name)]),
  ),
});

export type Config = z.infer<typeof configSchema>;

/** Reads the file and the environment and validates them against the full schema. */
export function loadConfig(env?: Env, file?: string): Promise<Config> {
  return loadConfigWith(configSchema, env, file);
}

/** Validates an already-parsed object (YAML or test input) against the full schema. */
export function parseConfig(raw: unknown): Config {
  return parseConfigWith(configSchema, raw);
}
