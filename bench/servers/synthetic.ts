import { z } from 'zod';
import type { Collector } from '../../src/collectors/types.js';
import { sample } from '../../src/metrics/spec.js';

/** A collector that publishes `count` series shaped like real business series. */
export function syntheticCollector(count: number): Collector {
  return {
    name: 'bench_synthetic',
    description: 'Benchmark series.',
    source: 'config',
    defaultSchedule: '0 0 1 1 *',
    defaultTimeoutSeconds: 60,
    optionsSchema: z.object({}).strict(),
    metrics: [
      {
        name: 'chom_bench_value',
        help: 'A benchmark gauge.',
        type: 'gauge',
        labelNames: ['organization', 'tier'],
        unit: 'count',
      },
    ],
    async collect() {
      return Array.from({ length: count }, (_, i) =>
        sample('chom_bench_value', (i * 7919) % 1000, {
          organization: `organization-${i}`,
          tier: ['starter', 'professional', 'enterprise'][i % 3] ?? 'other',
        }),
      );
    },
  };
}
