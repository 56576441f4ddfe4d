import { z } from 'zod';
import { onlySchema } from '../config/collector-selection.js';
import { collectorRuntimeShape } from '../config/schema.js';
import { collectors } from './index.js';

const builtInNames = collectors.map((collector) => collector.name) as [string, ...string[]];

/**
 * The `collectors` section of the configuration, owned by the registry: each
 * built-in collector's runtime settings and its own options (strict, with its
 * description), and `only`, checked against the registered names.
 */
export const collectorsSettingsSchema = z
  .object(
    Object.fromEntries(
      collectors.map((collector) => [
        collector.name,
        z
          .object({ ...collectorRuntimeShape, ...collector.optionsSchema.shape })
          .strict()
          .prefault({})
          .describe(collector.description),
      ]),
    ),
  )
  // Not a collector: which of them run. Its own key keeps the per-collector map as it was.
  .extend({ only: onlySchema(builtInNames) })
  .strict();

/** Every metric name a built-in collector publishes (a custom query may not take one). */
export const builtInCollectorMetricNames: readonly string[] = collectors.flatMap((collector) =>
  collector.metrics.map((metric) => metric.name),
);
